import type { QueueEvents } from './queue-events.js';

/** Any value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * `waiting`: some dependency has not completed yet. `ready`: can be leased (after `readyAt`
 * when a retry is delayed). `leased`: one owner holds it until its lease expires.
 * `completed`, `failed`, `cancelled` are final.
 */
export type JobState = 'waiting' | 'ready' | 'leased' | 'completed' | 'failed' | 'cancelled';
export const JOB_STATES: readonly JobState[] = ['waiting', 'ready', 'leased', 'completed', 'failed', 'cancelled'];
export const FINAL_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export interface JobError {
  code: string;
  message: string;
}

/** The ComfyUI prompt a leased job was submitted as, so a restarted dispatcher re-attaches. */
export interface PromptRef {
  workerName: string;
  promptId: string;
}

export interface Lease {
  owner: string;
  expiresAt: number;
}

/** One attempt: who ran it, when, and how it ended (`endedAt` null while it runs). */
export interface AttemptRecord {
  attempt: number;
  worker: string;
  startedAt: number;
  endedAt: number | null;
  error: JobError | null;
  note: string | null;
}

export interface Job {
  /** Caller-chosen (the task's content hash): adding it again returns this job. */
  id: string;
  kind: string;
  payload: Json;
  /** Higher runs first; FIFO within one priority. */
  priority: number;
  dependsOn: string[];
  /** Attempts started so far (a lease starts one). */
  attempts: number;
  maxAttempts: number;
  state: JobState;
  lease: Lease | null;
  promptRef: PromptRef | null;
  history: AttemptRecord[];
  result: Json | null;
  /** Why a failed/cancelled job ended; for a job failed after retries, every attempt's reason. */
  error: JobError | null;
  /** A retried job is not leased before this time. */
  readyAt: number | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Insertion order, the FIFO tie-breaker within one priority. */
  seq: number;
}

export interface NewJob {
  id: string;
  kind: string;
  payload?: Json;
  priority?: number;
  dependsOn?: string[];
  maxAttempts?: number;
}

export interface LeaseOptions {
  /** Most jobs to lease in this call (default 1). */
  max?: number;
  /** Only jobs of these kinds. */
  kinds?: string[];
  /** Only jobs this predicate accepts (e.g. "a model this worker has"); evaluated in process. */
  filter?: (job: Job) => boolean;
}

export interface ListFilter {
  state?: JobState | JobState[];
  kind?: string;
  limit?: number;
}

export interface FailOptions {
  /** true: back to ready (after `delayMs`) while attempts remain; false: fail now. */
  retry: boolean;
  delayMs?: number;
}

export type JobCounts = Record<JobState, number>;

export interface QueueOptions {
  /** Milliseconds since the epoch; injected so tests move time instead of sleeping. */
  clock?: () => number;
  /** How long a lease lasts without a heartbeat (default 30 000). */
  leaseMs?: number;
  /** Attempts for jobs that do not say (default 3). */
  maxAttempts?: number;
}

/**
 * The durable job queue the dispatcher pulls from. Two implementations pass one contract
 * suite (`test/scheduler-queue/contract.ts`): `SqliteJobQueue` (default, one file, several
 * processes on one machine) and `BullmqJobQueue` (Redis, several orchestrator processes).
 *
 * Owner-checked calls (`heartbeat`, `setPromptRef`, `complete`, `fail`) throw
 * `LeaseLostError` when the caller no longer holds the lease (it expired and was recovered,
 * or the job was cancelled): the caller must stop working on it.
 *
 * @example
 * const [job] = await queue.lease('dispatcher-a', { max: 1, kinds: ['keyframe'] });
 * if (job) {
 *   await queue.setPromptRef(job.id, 'dispatcher-a', { workerName: 'gpu-1', promptId });
 *   await queue.complete(job.id, 'dispatcher-a', { asset: hash });
 * }
 */
export interface JobQueue {
  readonly events: QueueEvents;
  /** Idempotent by id: an existing id returns the stored job untouched. */
  add(jobs: NewJob[]): Promise<Job[]>;
  get(id: string): Promise<Job | undefined>;
  /** Ordered by priority (high first), then insertion order. */
  list(filter?: ListFilter): Promise<Job[]>;
  /** Atomically takes up to `max` ready jobs: no two owners ever hold the same job. */
  lease(owner: string, options?: LeaseOptions): Promise<Job[]>;
  heartbeat(jobId: string, owner: string): Promise<Job>;
  setPromptRef(jobId: string, owner: string, ref: PromptRef): Promise<Job>;
  complete(jobId: string, owner: string, result: Json): Promise<Job>;
  fail(jobId: string, owner: string, error: JobError, options: FailOptions): Promise<Job>;
  /** Cancels a job that has not finished (dependents fail); undefined when the id is unknown. */
  cancel(jobId: string): Promise<Job | undefined>;
  /** Leases that expired by `now` go back to ready, keeping their promptRef. */
  recoverExpiredLeases(now?: number): Promise<Job[]>;
  counts(): Promise<JobCounts>;
  close(): Promise<void>;
}
