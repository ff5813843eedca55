import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

/** A 4xx this client did not expect (404 for an unknown model folder, 403 from the origin check…). */
export class HttpStatusError extends ComfyError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: string;

  constructor(method: string, url: string, status: number, body: string) {
    const snippet = body.trim().slice(0, 200);
    super(ComfyErrorCode.httpStatus, `${method} ${url} answered ${status}${snippet ? `: ${snippet}` : ''}`, { hint: hintFor(status) });
    this.status = status;
    this.method = method;
    this.url = url;
    this.body = body;
  }
}

function hintFor(status: number): string {
  if (status === 401) return 'the worker (or a proxy in front of it) wants credentials: set auth on the worker endpoint';
  if (status === 403) return 'forbidden: check the auth token, or ComfyUI\'s origin check (--enable-cors-header) if an Origin header is sent';
  if (status === 404) return 'the route or resource does not exist on this worker (older ComfyUI, unknown folder or file)';
  if (status === 413) return 'the upload is larger than the worker allows (--max-upload-size)';
  return 'the worker refused the request; see the status and body';
}

export function isHttpStatusError(value: unknown): value is HttpStatusError {
  return hasCode(value, ComfyErrorCode.httpStatus);
}
