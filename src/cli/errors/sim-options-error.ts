import { StoryCoreError } from '../../errors/storycore-error.js';

/** A file or value given to the emulator on the command line is unusable. */
export class SimOptionsError extends StoryCoreError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('SIM_OPTIONS_INVALID', message, { hint, cause });
  }
}
