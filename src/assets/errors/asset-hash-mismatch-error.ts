import { StoryCoreError } from '../../errors/storycore-error.js';

/** Bytes handed to the store do not hash to what the caller said they would (a truncated or corrupted download). */
export class AssetHashMismatchError extends StoryCoreError {
  readonly expected: string;
  readonly actual: string;
  readonly bytes: number;

  constructor(expected: string, actual: string, bytes: number, source: string) {
    super('ASSET_HASH_MISMATCH', `${source}: expected sha256 ${expected}, got ${actual} (${bytes} bytes); nothing was stored`, {
      hint: 'download the file again; if it keeps happening the worker is changing the file after reporting its hash',
    });
    this.expected = expected;
    this.actual = actual;
    this.bytes = bytes;
  }
}
