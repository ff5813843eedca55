import { StoryCoreError } from '../../../errors/storycore-error.js';

/** The learned-timings file cannot be read or written. */
export class TimingsFileError extends StoryCoreError {
  readonly path: string;

  constructor(path: string, detail: string, options: { hint?: string; cause?: unknown } = {}) {
    super('TIMINGS_FILE', `learned timings ${path}: ${detail}`, {
      hint: options.hint ?? 'delete the file to start again from the catalogue estimates (it only holds averages)',
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.path = path;
  }
}
