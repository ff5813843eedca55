import { createHmac, randomBytes } from 'node:crypto';
import type { ComfyLogger } from '../../comfy/client/logger.js';
import { silentLogger } from '../../comfy/client/logger.js';

export interface WebhookOptions {
  url: string;
  /** Signing secret (`whsec_<base64>` as Standard Webhooks has it, or any text); without it the body is sent unsigned. */
  secret?: string;
  /** Told of every finished delivery (a delivery log). */
  onOutcome?: (outcome: DeliveryOutcome & { id: string; event: string }) => void;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** Backoff: base·2^n with full jitter, capped (defaults 500 ms, 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deliveries waiting or in flight beyond this are dropped, oldest first (default 100). */
  maxPending?: number;
  logger?: ComfyLogger;
  random?: () => number;
}

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export const ID_HEADER = 'webhook-id';
export const SIGNATURE_HEADER = 'webhook-signature';
export const TIMESTAMP_HEADER = 'webhook-timestamp';

/** The key a secret stands for: Standard Webhooks' `whsec_<base64>`, else the text's bytes. */
function secretKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

/**
 * The Standard Webhooks signature (standardwebhooks.com): `v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">`. Receivers check it with any Standard Webhooks
 * library and reject timestamps too far from now (replays).
 */
export function signBody(secret: string, id: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** A new `whsec_…` secret for a webhook subscription. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Posts alert events to a webhook. `send` never throws and never blocks its caller: the
 * delivery runs in the background with a timeout per attempt, retries network errors, 429
 * and 5xx with exponential backoff and jitter a bounded number of times, then gives up with a
 * log line. A flood is bounded by `maxPending`.
 */
export class WebhookSender {
  private readonly pending = new Set<Promise<DeliveryOutcome>>();
  private readonly o: Required<Omit<WebhookOptions, 'secret' | 'onOutcome'>> & Pick<WebhookOptions, 'secret' | 'onOutcome'>;

  constructor(options: WebhookOptions) {
    this.o = {
      timeoutMs: 5_000,
      retries: 4,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      maxPending: 100,
      logger: silentLogger,
      random: Math.random,
      ...options,
    };
  }

  /** Queues a delivery of `payload` (JSON) as `{type, timestamp, data}`. Returns at once. */
  send(event: string, payload: unknown): void {
    if (this.pending.size >= this.o.maxPending) {
      this.o.logger.warn({ event, pending: this.pending.size }, 'webhook backlog full; dropping an alert delivery');
      return;
    }
    const delivery = this.deliver(event, payload).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Waits for every queued delivery to end (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** One delivery with its retries; resolves with the outcome, never rejects. */
  async deliver(event: string, payload: unknown): Promise<DeliveryOutcome> {
    let body: string;
    // One id for every attempt of a delivery: receivers deduplicate retries by it.
    const id = `msg_${randomBytes(12).toString('hex')}`;
    try {
      body = JSON.stringify({ type: event, timestamp: new Date().toISOString(), data: payload });
    } catch (error) {
      this.o.logger.error({ err: error, event }, 'webhook payload is not JSON');
      return { ok: false, attempts: 0, error: String(error) };
    }
    let last: DeliveryOutcome = { ok: false, attempts: 0 };
    for (let attempt = 0; attempt <= this.o.retries; attempt++) {
      if (attempt > 0) {
        const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
        await sleep(Math.floor(Math.min(Math.max(this.o.random(), 0), 1) * ceiling));
      }
      last = await this.attempt(id, event, body, attempt + 1);
      if (last.ok || (last.status !== undefined && last.status < 500 && last.status !== 429)) break;
    }
    if (last.ok) this.o.logger.debug({ event, attempts: last.attempts }, 'webhook delivered');
    else this.o.logger.warn({ event, attempts: last.attempts, status: last.status, error: last.error }, 'webhook delivery failed; giving up');
    this.o.onOutcome?.({ ...last, id, event });
    return last;
  }

  private async attempt(id: string, event: string, body: string, attempts: number): Promise<DeliveryOutcome> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'storycore-webhooks',
      [ID_HEADER]: id,
      [TIMESTAMP_HEADER]: timestamp,
    };
    if (this.o.secret) headers[SIGNATURE_HEADER] = signBody(this.o.secret, id, timestamp, body);
    try {
      const res = await fetch(this.o.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.o.timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      return { ok: res.ok, attempts, status: res.status };
    } catch (error) {
      return { ok: false, attempts, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }
}
