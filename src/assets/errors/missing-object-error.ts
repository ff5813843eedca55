import { StoryCoreError } from '../../errors/storycore-error.js';

/** An index entry or a link names an object that is not (or not fully) in the store. */
export class MissingObjectError extends StoryCoreError {
  readonly sha256: string;

  constructor(sha256: string, detail: string) {
    super('ASSET_OBJECT_MISSING', `object ${sha256} ${detail}`, {
      hint: 'ingest the file with AssetStore.ingest() first; record a task only after all its outputs are stored',
    });
    this.sha256 = sha256;
  }
}
