import type { RetryBackoff } from './backoff.js';

/** A worker as the failure policy sees it. */
export interface PolicyWorker {
  name: string;
  /** GPU profile id (`rtx4090`, `a100-80g`…), for messages. */
  profile: string;
  vramTotalBytes: number;
  vramFreeBytes: number;
  healthy: boolean;
}

/** What the policy needs to know of the job (a queue `Job` fits). */
export interface PolicyJob {
  id: string;
  /** Attempts started so far, this one included. */
  attempts: number;
  maxAttempts: number;
}

export interface PolicyContext {
  /** The worker the attempt ran on (undefined when it failed before one was chosen). */
  worker?: PolicyWorker;
  /** Every worker of the pool, the failing one included. */
  workers: readonly PolicyWorker[];
  /** Workers this job already excluded (earlier attempts). */
  excluded?: readonly string[];
  /** The lower-memory form of the job when it has one and does not run it yet (see `lowerMemoryOption`). */
  lowerMemory?: { id: string } | undefined;
  backoff?: RetryBackoff;
  random?: () => number;
}

export type PolicyAction = 'retry' | 'fail' | 'cancel';

/** What to do after a failed attempt, and the sentence the job's history records. */
export interface Decision {
  action: PolicyAction;
  /** The error's code, kept as the attempt's error code. */
  code: string;
  /** Do not run this job on that worker again. */
  excludeWorker?: string;
  /** Only workers with more total VRAM than this (an OOM). */
  minVramBytes?: number;
  /** The worker the retry is meant for (an OOM moved to a bigger card). */
  targetWorker?: string;
  /** Run the retry as this lower-memory form (variant id or precision). */
  variant?: string;
  delayMs: number;
  /** One readable line: what happened and what is done about it. */
  reason: string;
}
