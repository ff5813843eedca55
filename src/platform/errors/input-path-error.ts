import { StoryCoreError } from '../../errors/storycore-error.js';

/**
 * A path given in a story, the config or on the command line leaves the project folder
 * (`PATH_OUTSIDE_PROJECT`, also through a symlink) or names nothing usable (`PATH_UNREADABLE`).
 * The message names the field; the hint says how to fix it.
 */
export class InputPathError extends StoryCoreError {
  readonly field: string;

  constructor(code: 'PATH_OUTSIDE_PROJECT' | 'PATH_UNREADABLE', field: string, message: string, hint: string, cause?: unknown) {
    super(code, `${field}: ${message}`, { hint, cause });
    this.field = field;
  }
}
