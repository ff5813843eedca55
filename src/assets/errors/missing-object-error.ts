import { StoryCoreError } from '../../errors/storycore-error.js';

/** An index entry or a link names an object that is not (or not fully) in the store. */
export class MissingObjectError extends StoryCoreError {
  readonly sha256: string;

  constructor(sha256: string, detail: string) {
    super('ASSET_OBJECT_MISSING', `object ${sha256} ${detail}`, {
      hint: 'a task is recorded only once all its outputs are stored: run the command again (finished tasks are kept)',
    });
    this.sha256 = sha256;
  }
}
