import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

export type UnavailableReason = 'network' | 'timeout' | 'server_error';

/**
 * The worker could not be reached or answered with a 5xx: connection refused/reset, DNS, TLS,
 * request timeout. Retryable, typically on another worker.
 */
export class WorkerUnavailableError extends ComfyError {
  readonly url: string;
  readonly reason: UnavailableReason;
  readonly status: number | undefined;

  /** `timeoutKey`: the config key that sets the timeout that ran out (named in the hint). */
  constructor(url: string, reason: UnavailableReason, detail: string, options: { status?: number; cause?: unknown; timeoutKey?: string } = {}) {
    super(ComfyErrorCode.workerUnavailable, `ComfyUI worker unavailable at ${url}: ${detail}`, {
      hint: hintFor(reason, options.timeoutKey ?? 'client.requestTimeoutMs'),
      cause: options.cause,
      retryable: true,
    });
    this.url = url;
    this.reason = reason;
    this.status = options.status;
  }
}

function hintFor(reason: UnavailableReason, timeoutKey: string): string {
  switch (reason) {
    case 'network':
      return 'check that ComfyUI is running, that the URL/port is right, and that it listens on a reachable address (--listen) behind any firewall or proxy';
    case 'timeout':
      return `the worker accepted the connection but did not answer: check its console (hung or overloaded), or raise ${timeoutKey} in the config`;
    case 'server_error':
      return "the worker hit an internal error; check ComfyUI's console log";
  }
}

export function isWorkerUnavailableError(value: unknown): value is WorkerUnavailableError {
  return hasCode(value, ComfyErrorCode.workerUnavailable);
}
