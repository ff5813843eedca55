import { StoryCoreError } from '../../errors/storycore-error.js';

/**
 * An input is larger or deeper than StoryCore reads (`INPUT_TOO_LARGE`, `INPUT_TOO_DEEP`,
 * `INPUT_TOO_MANY_ALIASES`): the message gives the limit, the hint how to raise it.
 */
export class InputLimitError extends StoryCoreError {
  readonly field: string;

  constructor(code: 'INPUT_TOO_LARGE' | 'INPUT_TOO_DEEP' | 'INPUT_TOO_MANY_ALIASES', field: string, message: string, hint: string) {
    super(code, `${field}: ${message}`, { hint });
    this.field = field;
  }
}
