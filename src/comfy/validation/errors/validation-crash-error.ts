import { StoryCoreError } from '../../../errors/storycore-error.js';

/**
 * The body is so malformed that ComfyUI's own validation raises (e.g. `prompt` is a string or a
 * node is a number); real ComfyUI answers `500 Server got itself in trouble`.
 */
export class ValidationCrashError extends StoryCoreError {
  /** Python exception type and `str(exception)` that the real server would log. */
  readonly exceptionType: string;
  readonly exceptionMessage: string;

  constructor(exceptionType: string, exceptionMessage: string) {
    super('COMFY_PROMPT_CRASHES_VALIDATION', `ComfyUI would fail with ${exceptionType}: ${exceptionMessage} (HTTP 500)`, {
      hint: 'send an API-format graph: an object of node id → {"class_type": ..., "inputs": {...}}',
    });
    this.exceptionType = exceptionType;
    this.exceptionMessage = exceptionMessage;
  }
}
