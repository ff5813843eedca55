import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ensureDir } from '../platform/ensure-dir.js';
import { storageError, writingTo } from '../platform/storage-errors.js';

/** Name of a temporary file owned by this process: `<pid>-<random>`, so cleanup can tell whose it is. */
export function tmpName(suffix = ''): string {
  return `${process.pid}-${randomBytes(8).toString('hex')}${suffix}`;
}

/** Makes a rename durable: the directory entry itself is fsynced (a no-op where the OS refuses). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory for syncing; rename there is already durable enough.
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `path` so a reader sees the old file or the whole new one, never a prefix:
 * write a sibling temp file (or one in `tmpDir`, which must be on the same filesystem), fsync, rename.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, tmpDir?: string): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  if (tmpDir) await ensureDir(tmpDir);
  const tmp = tmpDir ? join(tmpDir, tmpName('.part')) : join(dir, `.${basename(path)}.${tmpName('.tmp')}`);
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  const handle = await writingTo(path, () => open(tmp, 'wx'), bytes);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw storageError(error, path, bytes);
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}
