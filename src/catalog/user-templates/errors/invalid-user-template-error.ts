import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A template name, stored file or set of values that cannot be used. */
export class InvalidUserTemplateError extends StoryCoreError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('USER_TEMPLATE_INVALID', message, { hint, cause });
  }
}
