import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ensureDir } from '../platform/ensure-dir.js';

/**
 * Writes `out` through a hidden temp file in the same folder, renamed into place only when
 * `write` succeeds: a failed render never leaves a half-written file, nor replaces a good one.
 */
export async function writeAtomically<T>(out: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  const folder = dirname(out);
  await ensureDir(folder);
  const temp = join(folder, `.${basename(out, extname(out))}.${process.pid}-${randomBytes(4).toString('hex')}.partial${extname(out)}`);
  try {
    const result = await write(temp);
    await rename(temp, out);
    return result;
  } finally {
    await rm(temp, { force: true });
  }
}
