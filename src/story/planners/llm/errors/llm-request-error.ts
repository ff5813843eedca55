import { StoryCoreError } from '../../../../errors/storycore-error.js';

export type LlmRequestErrorCode = 'LLM_UNREACHABLE' | 'LLM_TIMEOUT' | 'LLM_HTTP_ERROR' | 'LLM_BAD_RESPONSE';

/**
 * The chat endpoint could not give an answer: not reachable, too slow, an HTTP error status or
 * a body that is not an OpenAI-style chat completion. `url` is the endpoint called (no key).
 */
export class LlmRequestError extends StoryCoreError {
  readonly url: string;
  readonly status: number | undefined;

  constructor(code: LlmRequestErrorCode, url: string, message: string, options: { hint: string; status?: number; cause?: unknown }) {
    super(code, message, { hint: options.hint, cause: options.cause });
    this.url = url;
    this.status = options.status;
  }
}

export function isLlmRequestError(value: unknown): value is LlmRequestError {
  return value instanceof Error && value.name === 'LlmRequestError';
}
