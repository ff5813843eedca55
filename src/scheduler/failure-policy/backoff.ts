export interface RetryBackoff {
  /** Delay before the first retry (default 250 ms). */
  baseMs: number;
  /** Ceiling of any delay (default 30 s). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: RetryBackoff = { baseMs: 250, maxMs: 30_000 };

/**
 * "Equal jitter" exponential backoff for retry number `retry` (1 = first retry): half the
 * exponential delay is kept, the other half is random, so many jobs failing together on one
 * dead worker spread out without any of them retrying at once.
 *
 * @example retryDelay(3, { baseMs: 250, maxMs: 30_000 }, () => 0.5) // 750
 */
export function retryDelay(retry: number, backoff: RetryBackoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(retry) - 1), 30);
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}
