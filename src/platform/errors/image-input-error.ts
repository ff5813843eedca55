import { StoryCoreError } from '../../errors/storycore-error.js';

/** A file given as an image input is not an image StoryCore accepts (`IMAGE_INVALID`) or is too big (`IMAGE_TOO_LARGE`). */
export class ImageInputError extends StoryCoreError {
  readonly field: string;

  constructor(code: 'IMAGE_INVALID' | 'IMAGE_TOO_LARGE', field: string, message: string, hint: string, cause?: unknown) {
    super(code, `${field}: ${message}`, { hint, cause });
    this.field = field;
  }
}
