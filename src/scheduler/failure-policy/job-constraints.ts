import type { AttemptRecord } from '../queue/job-queue.js';
import { classify } from './failure-class.js';

/** Where a job may run next, folded from its earlier attempts. */
export interface JobConstraints {
  /** Workers an earlier attempt failed on in a way that says "not there again". */
  excluded: string[];
  /** Only workers with more total VRAM than this (an earlier OOM moved to a bigger card). */
  minVramBytes: number;
  /** The lower-memory form an earlier OOM switched the job to. */
  variant?: string;
}

const VARIANT = /: retried with variant ([^\s:;]+)/;

/**
 * Reads a job's history as the failure policy wrote it, so the constraints survive a restart of
 * the dispatcher and are shared by every orchestrator process: the queue's history is the only
 * record. `workerOf` turns an attempt's lease owner into the GPU worker it ran on (undefined
 * when the attempt never reached a worker); `vramOf` gives a worker's total VRAM.
 */
export function constraintsFromHistory(
  history: readonly AttemptRecord[],
  workerOf: (owner: string) => string | undefined,
  vramOf: (worker: string) => number | undefined,
): JobConstraints {
  const excluded = new Set<string>();
  let minVramBytes = 0;
  let variant: string | undefined;
  for (const attempt of history) {
    if (!attempt.error) continue;
    const worker = workerOf(attempt.worker);
    const kind = classify({ code: attempt.error.code, status: 500 });
    if (kind === 'out_of_memory') {
      const v = VARIANT.exec(attempt.error.message);
      if (v) variant = v[1];
      else if (worker) {
        excluded.add(worker);
        minVramBytes = Math.max(minVramBytes, vramOf(worker) ?? 0);
      }
    } else if ((kind === 'worker' || kind === 'execution') && worker) {
      excluded.add(worker);
    }
  }
  return { excluded: [...excluded], minVramBytes, ...(variant ? { variant } : {}) };
}
