import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureDir } from '../platform/ensure-dir.js';
import { storageError, writingTo } from '../platform/storage-errors.js';

/**
 * Writes `text` to `file` so a reader sees the old content or the new, never half of it:
 * a temporary file in the same directory, fsynced, then renamed over the target.
 * `mode` applies to the new file (0o600 for files holding tokens).
 */
export async function writeFileAtomic(file: string, text: string, mode = 0o644): Promise<void> {
  await ensureDir(path.dirname(file));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const bytes = Buffer.byteLength(text);
  const handle = await writingTo(file, () => open(temp, 'w', mode), bytes);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw storageError(error, file, bytes);
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
