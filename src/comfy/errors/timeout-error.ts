import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

/** A wait the caller bounded (a job's deadline, opening the event socket) ran out. */
export class TimeoutError extends ComfyError {
  readonly operation: string;
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number, options: { hint?: string } = {}) {
    super(ComfyErrorCode.timeout, `${operation} did not finish within ${timeoutMs} ms`, {
      hint: options.hint ?? 'raise the timeout, or check the worker: is the queue long or a node stuck?',
      retryable: true,
    });
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasCode(value, ComfyErrorCode.timeout);
}
