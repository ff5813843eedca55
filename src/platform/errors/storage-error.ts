import { StoryCoreError } from '../../errors/storycore-error.js';

export type StorageErrorCode = 'STORAGE_FOLDER_NOT_CREATABLE' | 'STORAGE_NOT_WRITABLE' | 'STORAGE_DISK_FULL';

/**
 * A file or folder StoryCore needs cannot be created or written: the folder cannot exist
 * there, permission or read-only filesystem, or no space left. `path` is always named, and
 * for a full disk `bytesNeeded`/`bytesFree` say how much space is missing when known.
 */
export class StorageError extends StoryCoreError {
  constructor(
    code: StorageErrorCode,
    readonly path: string,
    message: string,
    options: { hint: string; cause?: unknown; bytesNeeded?: number; bytesFree?: number },
  ) {
    super(code, message, options);
    this.bytesNeeded = options.bytesNeeded;
    this.bytesFree = options.bytesFree;
  }

  readonly bytesNeeded: number | undefined;
  readonly bytesFree: number | undefined;
}
