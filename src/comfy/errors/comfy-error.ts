import { StoryCoreError } from '../../errors/storycore-error.js';

/**
 * Base of every error the ComfyUI protocol layer raises. `retryable` tells the failure policy
 * whether the same request could succeed later (on this or another worker) without changes.
 */
export class ComfyError extends StoryCoreError {
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; retryable?: boolean } = {}) {
    super(code, message, options);
    this.retryable = options.retryable ?? false;
  }
}

/** Stable codes; scripts and the failure policy branch on these, never on messages. */
export const ComfyErrorCode = {
  promptInvalid: 'COMFY_PROMPT_INVALID',
  executionFailed: 'COMFY_EXECUTION_FAILED',
  outOfMemory: 'COMFY_OUT_OF_MEMORY',
  interrupted: 'COMFY_INTERRUPTED',
  promptVanished: 'COMFY_PROMPT_VANISHED',
  workerUnavailable: 'COMFY_WORKER_UNAVAILABLE',
  httpStatus: 'COMFY_HTTP_STATUS',
  protocol: 'COMFY_PROTOCOL',
  timeout: 'COMFY_TIMEOUT',
  /** The client was closed while a job handle was still waiting. */
  clientClosed: 'COMFY_CLIENT_CLOSED',
} as const;

export type ComfyErrorCode = (typeof ComfyErrorCode)[keyof typeof ComfyErrorCode];

const allCodes = new Set<string>(Object.values(ComfyErrorCode));

/** True for any ComfyError, also one that crossed a process boundary (checks `code`). */
export function isComfyError(value: unknown): value is ComfyError {
  return hasCode(value, allCodes);
}

/** Checks `code` (and that the value looks like an error), so serialised errors still match. */
export function hasCode(value: unknown, codes: ReadonlySet<string> | string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const code = (value as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return typeof codes === 'string' ? code === codes : codes.has(code);
}
