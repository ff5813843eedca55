export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** A number in [0, 1); Math.random by default. Injected by tests. */
  random?: () => number;
}

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(maxMs, baseMs·2^attempt)).
 * Spreads the rechecks of many down workers (or many monitors of one worker) instead of
 * having them hit a restarting ComfyUI in lockstep. `attempt` counts from 0.
 *
 * @example backoff(3, { baseMs: 500, maxMs: 30_000 }) // somewhere in [0, 4000)
 */
export function backoff(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 52);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}
