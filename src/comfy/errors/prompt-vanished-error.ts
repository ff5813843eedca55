import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

/**
 * The prompt is neither pending, nor running, nor in history: it was deleted from the queue by
 * someone else, the history was cleared, or the worker restarted and lost its queue.
 */
export class PromptVanishedError extends ComfyError {
  readonly promptId: string;

  constructor(promptId: string, options: { url?: string } = {}) {
    super(ComfyErrorCode.promptVanished, `prompt ${promptId} is not queued, not running and not in the history of ${options.url ?? 'the worker'}`, {
      hint: 'it was deleted from the queue, the history was cleared, or the worker restarted; submit it again',
      retryable: true,
    });
    this.promptId = promptId;
  }
}

export function isPromptVanishedError(value: unknown): value is PromptVanishedError {
  return hasCode(value, ComfyErrorCode.promptVanished);
}
