import { LeaseLostError } from './errors/lease-lost-error.js';
import { combinedFailure } from './failure-message.js';
import type { FailOptions, Job, JobError, JobState, Json, NewJob, PromptRef } from './job-queue.js';

/**
 * The queue's state machine as pure functions of (job, input, now) → new job. Both backends
 * load rows, call these inside their own transaction, and store the result, so SQLite and
 * Redis cannot drift apart on what a transition means.
 *
 * `seq` orders jobs within one priority; every entry into `ready` (added, dependencies done,
 * retried, recovered) takes a fresh one from `nextSeq`, so FIFO means "ready first, leased
 * first", which is also what BullMQ's prioritized set does.
 */

export interface JobDefaults {
  maxAttempts: number;
}

/** The state a job with these dependencies starts in (unknown ids count as not yet done). */
export function dependencyVerdict(
  dependsOn: string[],
  depState: (id: string) => JobState | undefined,
): { state: 'waiting' | 'ready' } | { state: 'failed'; error: JobError } {
  let allDone = true;
  for (const id of dependsOn) {
    const state = depState(id);
    if (state === 'failed' || state === 'cancelled') {
      return { state: 'failed', error: { code: 'DEPENDENCY_FAILED', message: `dependency ${id} ${state}` } };
    }
    if (state !== 'completed') allDone = false;
  }
  return { state: allDone ? 'ready' : 'waiting' };
}

export function createJob(
  input: NewJob,
  seq: number,
  now: number,
  defaults: JobDefaults,
  depState: (id: string) => JobState | undefined,
): Job {
  const dependsOn = [...new Set(input.dependsOn ?? [])];
  const verdict = dependencyVerdict(dependsOn, depState);
  return {
    id: input.id,
    kind: input.kind,
    payload: input.payload ?? null,
    priority: input.priority ?? 0,
    dependsOn,
    attempts: 0,
    maxAttempts: input.maxAttempts ?? defaults.maxAttempts,
    state: verdict.state,
    lease: null,
    promptRef: null,
    history: [],
    result: null,
    error: verdict.state === 'failed' ? verdict.error : null,
    readyAt: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: verdict.state === 'failed' ? now : null,
    seq,
  };
}

export function isLeasable(job: Job, now: number): boolean {
  return job.state === 'ready' && (job.readyAt === null || job.readyAt <= now);
}

export function leaseJob(job: Job, owner: string, now: number, leaseMs: number): Job {
  const attempt = job.attempts + 1;
  return {
    ...job,
    state: 'leased',
    attempts: attempt,
    lease: { owner, expiresAt: now + leaseMs },
    readyAt: null,
    history: [...job.history, { attempt, worker: owner, startedAt: now, endedAt: null, error: null, note: null }],
    updatedAt: now,
  };
}

function assertHeld(job: Job, owner: string): void {
  if (job.state !== 'leased' || job.lease?.owner !== owner) {
    const detail = job.state === 'leased' ? `leased by ${job.lease?.owner}` : `it is ${job.state}`;
    throw new LeaseLostError(job.id, owner, detail);
  }
}

/** Closes the running attempt record (the last one). */
function endAttempt(job: Job, now: number, error: JobError | null, note: string | null): Job['history'] {
  const history = [...job.history];
  const last = history[history.length - 1];
  if (last && last.endedAt === null) history[history.length - 1] = { ...last, endedAt: now, error, note };
  return history;
}

/** Holding a lease past its expiry is allowed until someone recovers it. */
export function heartbeatJob(job: Job, owner: string, now: number, leaseMs: number): Job {
  assertHeld(job, owner);
  return { ...job, lease: { owner, expiresAt: now + leaseMs }, updatedAt: now };
}

export function setPromptRef(job: Job, owner: string, ref: PromptRef, now: number): Job {
  assertHeld(job, owner);
  return { ...job, promptRef: { workerName: ref.workerName, promptId: ref.promptId }, updatedAt: now };
}

export function completeJob(job: Job, owner: string, result: Json, now: number): Job {
  assertHeld(job, owner);
  return {
    ...job,
    state: 'completed',
    lease: null,
    result,
    history: endAttempt(job, now, null, null),
    updatedAt: now,
    finishedAt: now,
  };
}

/** `retried` says whether the job went back to ready. */
export function failJob(
  job: Job,
  owner: string,
  error: JobError,
  options: FailOptions,
  now: number,
  nextSeq: () => number,
): { job: Job; retried: boolean } {
  assertHeld(job, owner);
  const history = endAttempt(job, now, { code: error.code, message: error.message }, null);
  // A retried attempt is a new prompt: forget the old one so nobody re-attaches to it.
  const base = { ...job, lease: null, promptRef: null, history, updatedAt: now };
  if (options.retry && job.attempts < job.maxAttempts) {
    const delay = Math.max(0, options.delayMs ?? 0);
    return { job: { ...base, state: 'ready', readyAt: delay > 0 ? now + delay : null, seq: nextSeq() }, retried: true };
  }
  return {
    job: { ...base, state: 'failed', error: combinedFailure(history, error), finishedAt: now },
    retried: false,
  };
}

/** undefined when the job already finished (nothing to cancel). */
export function cancelJob(job: Job, now: number): Job | undefined {
  if (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled') return undefined;
  const note = job.state === 'leased' ? 'cancelled while running' : null;
  return {
    ...job,
    state: 'cancelled',
    lease: null,
    error: { code: 'CANCELLED', message: 'cancelled' },
    history: note ? endAttempt(job, now, { code: 'CANCELLED', message: 'cancelled' }, note) : job.history,
    updatedAt: now,
    finishedAt: now,
  };
}

export function isExpired(job: Job, now: number): boolean {
  return job.state === 'leased' && job.lease !== null && job.lease.expiresAt <= now;
}

/**
 * The owner died: back to ready, keeping promptRef so the next owner re-attaches. Each lease
 * was an attempt, so a job whose lease expired on its last allowed attempt fails instead: a
 * job that kills its dispatcher every time must not be leased forever.
 */
export function recoverJob(job: Job, now: number, nextSeq: () => number): Job {
  const owner = job.lease?.owner ?? 'unknown';
  const error: JobError = { code: 'LEASE_EXPIRED', message: `lease of ${owner} expired without a heartbeat` };
  if (job.attempts >= job.maxAttempts) {
    const history = endAttempt(job, now, error, null);
    const failure = combinedFailure(history, error);
    return {
      ...job,
      state: 'failed',
      lease: null,
      promptRef: null,
      readyAt: null,
      history,
      error: { code: failure.code, message: `${failure.message} (${job.attempts} of ${job.maxAttempts} attempts used: does the job stop the process that runs it?)` },
      updatedAt: now,
      finishedAt: now,
    };
  }
  return {
    ...job,
    state: 'ready',
    lease: null,
    readyAt: null,
    seq: nextSeq(),
    history: endAttempt(
      job,
      now,
      error,
      job.promptRef ? `prompt ${job.promptRef.promptId} on ${job.promptRef.workerName} kept for re-attach` : null,
    ),
    updatedAt: now,
  };
}

/**
 * Re-evaluates a waiting job after one of its dependencies finished: ready when all
 * completed, failed (with the reason) when one failed or was cancelled. undefined: no change.
 */
export function resolveDependent(
  job: Job,
  depState: (id: string) => JobState | undefined,
  now: number,
  nextSeq: () => number,
): Job | undefined {
  if (job.state !== 'waiting') return undefined;
  const verdict = dependencyVerdict(job.dependsOn, depState);
  if (verdict.state === 'failed') return { ...job, state: 'failed', error: verdict.error, updatedAt: now, finishedAt: now };
  return verdict.state === 'ready' ? { ...job, state: 'ready', updatedAt: now, seq: nextSeq() } : undefined;
}

/** completed, failed and cancelled never change again. */
export function isFinal(state: JobState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}
