/** How one attempt of a job ended, as the metrics store keeps it. */
export type PromptOutcome = 'completed' | 'failed' | 'retried' | 'cancelled' | 'released';

/** Per-node execution time of one prompt, from `executing` to the next `executing`/end. */
export type NodeTimings = Record<string, { classType?: string; ms: number }>;

/**
 * One attempt of one job on one worker. Times are ms since the epoch on the dispatcher's
 * clock except `startedAt`/`finishedAt`, which are the worker's `execution_start` /
 * `execution_success` timestamps from its history when it reported them.
 */
export interface PromptRecord {
  jobId: string;
  attempt: number;
  worker: string;
  /** GPU profile of the worker (`rtx4090`). */
  gpu: string;
  promptId: string | null;
  templateId: string;
  outcome: PromptOutcome;
  errorCode: string | null;
  /** When the job entered the queue. */
  createdAt: number;
  leasedAt: number;
  submittedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** When the dispatcher was done with the attempt (completed/failed in the queue). */
  doneAt: number;
  /** Created (or last made ready) → leased. */
  queuedMs: number;
  uploadMs: number;
  /** execution_start → execution end; null when it never started. */
  executeMs: number | null;
  downloadMs: number;
  /** Model files the router expected to load for it (not resident before). */
  modelLoads: number;
  nodes: NodeTimings;
  /** The prompt was followed by a dispatcher that re-attached to it after a restart. */
  reattached: boolean;
}
