import { StoryCoreError } from '../../../errors/storycore-error.js';

/** The BullMQ queue's Redis could not be reached within `queue.redisConnectTimeoutMs`. */
export class QueueUnavailableError extends StoryCoreError {
  constructor(redisUrl: string, reason: string, cause?: unknown) {
    const shown = redisUrl.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
    super('QUEUE_REDIS_UNAVAILABLE', `cannot reach Redis at ${shown} for the queue: ${reason}`, {
      hint: 'start Redis there, or set queue.redisUrl to the right address (or queue.backend to sqlite)',
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
