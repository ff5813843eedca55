import { StoryCoreError } from '../../errors/storycore-error.js';

/** A caller handed the store something malformed: a bad hash, a link path outside renders/, an invalid manifest. */
export class AssetStoreInputError extends StoryCoreError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('ASSET_STORE_INPUT_INVALID', message, { hint, cause });
  }
}
