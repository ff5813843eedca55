import { StoryCoreError } from '../../errors/storycore-error.js';

/**
 * An error the API answers with a given HTTP status. `field` names the request field at fault
 * (`body.shots[0].duration`, `params.id`), when one is.
 */
export class ApiError extends StoryCoreError {
  readonly status: number;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, options: { hint?: string; field?: string; cause?: unknown } = {}) {
    super(code, message, { ...(options.hint ? { hint: options.hint } : {}), ...(options.cause !== undefined ? { cause: options.cause } : {}) });
    this.status = status;
    this.field = options.field;
  }
}

export const notFound = (what: string, field?: string) =>
  new ApiError(404, 'NOT_FOUND', `${what} not found`, { hint: 'check the id; list what exists with the matching GET route', ...(field ? { field } : {}) });
