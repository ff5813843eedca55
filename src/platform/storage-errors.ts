import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StorageError } from './errors/storage-error.js';

/** errno codes that mean "this place cannot be written", whatever the call was. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'SQLITE_READONLY', 'SQLITE_CANTOPEN']);
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Free bytes on the filesystem holding `path` (its nearest existing ancestor), or undefined. */
export function freeBytes(path: string): number | undefined {
  for (let dir = path, depth = 0; depth < 64; dir = dirname(dir), depth++) {
    try {
      const stats = statfsSync(dir);
      return Number(stats.bavail) * Number(stats.bsize);
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Turns a filesystem failure while writing `path` into a StorageError that names the path
 * (Node's ENOSPC from a file handle write names none), and for a full disk the space this
 * write needed and what is free. Other errors are returned unchanged.
 */
export function storageError(error: unknown, path: string, bytesNeeded?: number): unknown {
  if (error instanceof StorageError) return error;
  const code = errnoOf(error);
  if (code === undefined) return error;
  if (DISK_FULL.has(code)) {
    const free = freeBytes(path);
    const need = bytesNeeded !== undefined ? `needs ${formatBytes(bytesNeeded)}` : 'needs more space';
    const have = free !== undefined ? `, ${formatBytes(free)} free` : '';
    return new StorageError('STORAGE_DISK_FULL', path, `no space left on the disk to write ${path} (${need}${have})`, {
      hint: `free at least ${bytesNeeded !== undefined ? formatBytes(Math.max(bytesNeeded - (free ?? 0), 1)) : 'some space'} on that disk, or point the setting that holds it at a disk with room`,
      cause: error,
      ...(bytesNeeded !== undefined ? { bytesNeeded } : {}),
      ...(free !== undefined ? { bytesFree: free } : {}),
    });
  }
  if (NOT_WRITABLE.has(code)) {
    return new StorageError('STORAGE_NOT_WRITABLE', path, `cannot write ${path} (${code === 'EROFS' ? 'read-only filesystem' : code.startsWith('SQLITE_') ? 'the database cannot be opened for writing' : 'permission denied'})`, {
      hint: 'make that folder writable by this user, or point the setting that holds it at a writable folder',
      cause: error,
    });
  }
  return error;
}

/** Runs a write to `path`, rethrowing a filesystem failure as a StorageError naming it. */
export async function writingTo<T>(path: string, write: () => Promise<T>, bytesNeeded?: number): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw storageError(error, path, bytesNeeded);
  }
}

/** The synchronous form of `writingTo`. */
export function writingToSync<T>(path: string, write: () => T, bytesNeeded?: number): T {
  try {
    return write();
  } catch (error) {
    throw storageError(error, path, bytesNeeded);
  }
}
