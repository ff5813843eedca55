import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A job given to `add`, or one read back from storage, does not have the expected shape. */
export class InvalidJobError extends StoryCoreError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('QUEUE_INVALID_JOB', message, {
      hint: 'ids and kinds are non-empty strings, payloads are JSON, priority is an integer in ±1 000 000',
      ...options,
    });
  }
}
