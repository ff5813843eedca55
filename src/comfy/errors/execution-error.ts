import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

/** What ComfyUI reports about a node that raised (the `execution_error` message / history entry). */
export interface ExecutionFailure {
  promptId: string;
  nodeId: string;
  nodeType: string;
  exceptionType: string;
  exceptionMessage: string;
  traceback: string[];
  executed: string[];
}

/** A node raised while the prompt ran; the job ended with status "error". */
export class ExecutionError extends ComfyError {
  readonly promptId: string;
  readonly nodeId: string;
  readonly nodeType: string;
  readonly exceptionType: string;
  readonly exceptionMessage: string;
  readonly traceback: string[];
  readonly executed: string[];

  constructor(failure: ExecutionFailure, options: { code?: string; hint?: string; retryable?: boolean } = {}) {
    const firstLine = failure.exceptionMessage.trim().split('\n')[0] ?? '';
    super(
      options.code ?? ComfyErrorCode.executionFailed,
      `node ${failure.nodeId} (${failure.nodeType}) failed: ${failure.exceptionType}: ${firstLine}`,
      {
        hint: options.hint ?? 'the graph passed validation, so check the node\'s inputs and the model files it loads; the worker\'s ComfyUI log has the full traceback',
        retryable: options.retryable ?? false,
      },
    );
    this.promptId = failure.promptId;
    this.nodeId = failure.nodeId;
    this.nodeType = failure.nodeType;
    this.exceptionType = failure.exceptionType;
    this.exceptionMessage = failure.exceptionMessage;
    this.traceback = failure.traceback;
    this.executed = failure.executed;
  }

  /** The Python traceback as ComfyUI formatted it, one frame per entry. */
  renderTraceback(): string {
    return this.traceback.join('');
  }
}

const executionCodes = new Set<string>([ComfyErrorCode.executionFailed, ComfyErrorCode.outOfMemory]);

/** True for ExecutionError and its OutOfMemoryError subclass. */
export function isExecutionError(value: unknown): value is ExecutionError {
  return hasCode(value, executionCodes);
}
