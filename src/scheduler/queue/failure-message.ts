import type { AttemptRecord, JobError } from './job-queue.js';

/**
 * One readable reason for a job that used up its attempts, naming every attempt:
 * `failed after 2 attempts: #1 on gpu-a: [OUT_OF_MEMORY] CUDA out of memory; #2 on gpu-b: ...`
 */
export function combinedFailure(history: AttemptRecord[], last: JobError): JobError {
  const failed = history.filter((attempt) => attempt.error !== null);
  if (failed.length <= 1) return last;
  const parts = failed.map(
    (attempt) => `#${attempt.attempt} on ${attempt.worker}: [${attempt.error!.code}] ${attempt.error!.message}`,
  );
  return { code: last.code, message: `failed after ${failed.length} attempts: ${parts.join('; ')}` };
}
