import { EventEmitter } from 'node:events';
import type { Job } from './job-queue.js';

/** What each event carries: the job as it is after the transition. */
export interface QueueEventMap {
  added: [job: Job];
  leased: [job: Job];
  completed: [job: Job];
  failed: [job: Job];
  retried: [job: Job];
  recovered: [job: Job];
  cancelled: [job: Job];
}

/** One event a transition produced, held until its transaction commits. */
export type QueueEvent = { [K in keyof QueueEventMap]: [K, Job] }[keyof QueueEventMap];

/**
 * Events of the transitions made through one queue instance (not other processes': those
 * are seen by polling `list`/`counts`, which is the truth).
 */
export class QueueEvents extends EventEmitter<QueueEventMap> {
  /** Emits events collected during a transaction, in order, once it has committed. */
  announce(events: Iterable<QueueEvent>): void {
    for (const [name, job] of events) (this.emit as (n: string, j: Job) => boolean)(name, job);
  }
}
