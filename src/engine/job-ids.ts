import { FINAL_STATES, type Job, type JobQueue } from '../scheduler/queue/index.js';

/** A completed job whose stored result still names outputs (a run killed before recording them). */
export function hasRecoverableResult(job: Job): boolean {
  const outputs = (job.result as { outputs?: unknown } | null)?.outputs;
  return job.state === 'completed' && Array.isArray(outputs) && outputs.length > 0;
}

/**
 * The queue job to use for a task hash. The job id is the hash itself, so adding is
 * idempotent and a resumed run finds the job its predecessor left (in flight, or completed
 * but not yet recorded). A job that ended without a usable result (failed, cancelled) or a
 * forced re-run gets the next free `<hash>~N` id, since a queue id is never reused.
 */
export async function jobIdFor(queue: JobQueue, taskHash: string, forced: boolean, usable: (job: Job) => Promise<boolean>): Promise<{ id: string; existing?: Job }> {
  for (let n = 1; ; n++) {
    const id = n === 1 ? taskHash : `${taskHash}~${n}`;
    const job = await queue.get(id);
    if (!job) return { id };
    if (!FINAL_STATES.includes(job.state)) return { id, existing: job };
    if (!forced && hasRecoverableResult(job) && (await usable(job))) return { id, existing: job };
  }
}
