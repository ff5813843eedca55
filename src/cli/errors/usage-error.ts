import { StoryCoreError } from '../../errors/storycore-error.js';

/** The command line asks for something impossible (missing flag, conflicting flags). */
export class UsageError extends StoryCoreError {
  constructor(message: string, hint: string) {
    super('CLI_USAGE', message, { hint });
  }
}
