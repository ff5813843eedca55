import { StoryCoreError } from '../../errors/storycore-error.js';

/** Garbage collection and writers exclude each other; this one found the other side running. */
export class StoreLockedError extends StoryCoreError {
  readonly holderPid: number | undefined;

  constructor(message: string, holderPid: number | undefined, hint: string) {
    super('ASSET_STORE_LOCKED', message, { hint });
    this.holderPid = holderPid;
  }
}
