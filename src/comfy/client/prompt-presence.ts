import type { JobRecord } from '../protocol/jobs.js';
import type { HistoryEntry } from '../protocol/history.js';
import type { QueueState } from '../protocol/routes.js';

/** Where a prompt id stands on a worker: never seen, queued, executing, or finished (in history). */
export type PromptPresence = 'absent' | 'pending' | 'running' | 'finished';

/** From current ComfyUI's `GET /api/jobs/{id}` (undefined = 404 "Job not found"). */
export function presenceFromJob(job: JobRecord | undefined): PromptPresence {
  if (!job) return 'absent';
  if (job.status === 'pending') return 'pending';
  if (job.status === 'in_progress') return 'running';
  return 'finished';
}

/** From 0.3.64's history and queue: history first, as ComfyUI writes it before leaving the running list. */
export function presenceFromQueue(promptId: string, history: HistoryEntry | undefined, queue: QueueState): PromptPresence {
  if (history) return 'finished';
  if (queue.queue_running.some((item) => item[1] === promptId)) return 'running';
  if (queue.queue_pending.some((item) => item[1] === promptId)) return 'pending';
  return 'absent';
}
