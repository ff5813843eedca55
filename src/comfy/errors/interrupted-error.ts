import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

/** The prompt was interrupted (someone called /interrupt) or cancelled before it ran. */
export class InterruptedError extends ComfyError {
  readonly promptId: string;
  readonly nodeId: string | undefined;
  readonly nodeType: string | undefined;
  /** True when this client cancelled it (JobHandle.cancel()), false when someone else did. */
  readonly cancelledByUs: boolean;

  constructor(promptId: string, options: { nodeId?: string; nodeType?: string; cancelledByUs?: boolean } = {}) {
    const at = options.nodeId ? ` before node ${options.nodeId}${options.nodeType ? ` (${options.nodeType})` : ''}` : '';
    super(ComfyErrorCode.interrupted, `prompt ${promptId} was ${options.cancelledByUs ? 'cancelled' : 'interrupted'}${at}`, {
      hint: options.cancelledByUs
        ? 'it was cancelled on request; submit it again to run it'
        : 'someone interrupted it on the worker (UI, another client or POST /interrupt); submit it again if it is still wanted',
      retryable: !options.cancelledByUs,
    });
    this.promptId = promptId;
    this.nodeId = options.nodeId;
    this.nodeType = options.nodeType;
    this.cancelledByUs = options.cancelledByUs ?? false;
  }
}

export function isInterruptedError(value: unknown): value is InterruptedError {
  return hasCode(value, ComfyErrorCode.interrupted);
}
