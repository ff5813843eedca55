import { DEFAULT_BACKOFF, retryDelay } from './backoff.js';
import { classify, codeOf } from './failure-class.js';
import type { Decision, PolicyContext, PolicyJob, PolicyWorker } from './types.js';

const GiB = 1024 ** 3;

/** `rtx4090 (24 GB)`: a worker as history sentences name it. */
export function describeWorker(worker: PolicyWorker): string {
  return `${worker.name} (${Math.round(worker.vramTotalBytes / GiB)} GB)`;
}

function messageOf(error: unknown): string {
  const e = error as { message?: unknown; hint?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return typeof e?.hint === 'string' && e.hint ? `${message} — ${e.hint}` : message;
}

/**
 * The failure policy: what to do with a job whose attempt failed with `error`. Pure: the
 * same error, job and context always give the same decision (randomness is injected).
 * The error's code decides, as in BullMQ where the error class is the signal:
 * worker trouble → retry elsewhere with backoff; invalid request → fail now with the fix;
 * out of memory → a bigger card, else the lower-memory form, else fail; interrupted → cancel.
 * Attempts are bounded by `job.maxAttempts`; the queue then combines every attempt's reason.
 *
 * @example
 * decide(new OutOfMemoryError(f), job, { worker: small, workers: [small, big] })
 * // { action: 'retry', excludeWorker: 'rtx4090', targetWorker: 'a100-80g', reason: 'OOM on rtx4090 (24 GB): retried on a100-80g (79 GB)', … }
 */
export function decide(error: unknown, job: PolicyJob, context: PolicyContext): Decision {
  const code = codeOf(error);
  const kind = classify(error);
  const where = context.worker;
  const excluded = new Set(context.excluded ?? []);
  const attemptsLeft = job.attempts < job.maxAttempts;
  const delay = () => retryDelay(job.attempts, context.backoff ?? DEFAULT_BACKOFF, context.random);
  const detail = messageOf(error);
  const on = where ? ` on ${where.name}` : '';
  const exhausted = (what: string): Decision => ({
    action: 'fail',
    code,
    delayMs: 0,
    reason: `${what}; gave up after ${job.attempts} of ${job.maxAttempts} attempts: ${detail}`,
  });

  switch (kind) {
    case 'interrupted':
      return { action: 'cancel', code, delayMs: 0, reason: `interrupted${on}: ${detail}` };
    case 'invalid':
      return { action: 'fail', code, delayMs: 0, reason: `cannot run${on}: ${detail}` };
    case 'out_of_memory': {
      if (!where) return attemptsLeft ? { action: 'retry', code, delayMs: delay(), reason: `out of memory: ${detail}` } : exhausted('out of memory');
      const head = `${code === 'DISPATCH_VRAM_SHORT' ? 'too little VRAM' : 'OOM'} on ${describeWorker(where)}`;
      if (!attemptsLeft) return exhausted(head);
      const bigger = context.workers
        .filter((w) => w.healthy && w.name !== where.name && !excluded.has(w.name) && w.vramTotalBytes > where.vramTotalBytes)
        .sort((a, b) => b.vramFreeBytes - a.vramFreeBytes || b.vramTotalBytes - a.vramTotalBytes || a.name.localeCompare(b.name));
      const target = bigger[0];
      if (target) {
        return {
          action: 'retry',
          code,
          excludeWorker: where.name,
          minVramBytes: where.vramTotalBytes,
          targetWorker: target.name,
          delayMs: 0,
          reason: `${head}: retried on ${describeWorker(target)}`,
        };
      }
      if (context.lowerMemory) {
        return { action: 'retry', code, variant: context.lowerMemory.id, delayMs: 0, reason: `${head}: retried with variant ${context.lowerMemory.id}` };
      }
      return {
        action: 'fail',
        code,
        delayMs: 0,
        reason: `${head}: no healthy worker has more VRAM and the template has no lower-memory variant left — add a bigger GPU, or lower width/height/length: ${detail}`,
      };
    }
    case 'worker':
    case 'execution': {
      const what = kind === 'worker' ? `worker ${where?.name ?? '?'} failed` : `node failed${on}`;
      if (!attemptsLeft) return exhausted(what);
      return {
        action: 'retry',
        code,
        ...(where ? { excludeWorker: where.name } : {}),
        delayMs: delay(),
        reason: `${what}: ${detail}; retrying on another worker`,
      };
    }
    case 'unknown':
      if (!attemptsLeft) return exhausted(`unexpected error${on}`);
      return { action: 'retry', code, delayMs: delay(), reason: `unexpected error${on}: ${detail}; retrying` };
  }
}
