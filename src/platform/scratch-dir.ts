import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { isPidAlive } from './pid-alive.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageError } from './storage-errors.js';

/** What a scratch folder is for: the emulator's files, a render's segments, preview frames, a download. */
export type ScratchKind = 'sim' | 'render' | 'preview' | 'dl';

const OWNED = /^storycore-(sim|render|preview|dl)-(\d+)-[^-]+$/;
/** Names from before scratch folders carried a pid: the owner cannot be told, so only old ones go. */
const LEGACY = /^storycore-(sim|render|preview|dl)-[A-Za-z0-9]{6}$/;
const LEGACY_AGE_MS = 24 * 3600_000;

/**
 * A private folder under the system temp dir, `storycore-<kind>-<pid>-XXXXXX`: the pid lets a
 * later process see that its owner died (kill -9) and remove it (`removeStaleScratchDirs`).
 */
export async function makeScratchDir(kind: ScratchKind): Promise<string> {
  const prefix = join(tmpdir(), `storycore-${kind}-${process.pid}-`);
  try {
    return await mkdtemp(prefix);
  } catch (error) {
    throw storageError(error, tmpdir());
  }
}

/**
 * Removes scratch folders whose owning process is gone, and pre-pid ones older than a day.
 * Best effort: a folder that cannot be removed is left; returns the names removed.
 */
export async function removeStaleScratchDirs(dir = tmpdir(), now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith('storycore-')) continue;
    const owned = OWNED.exec(name);
    let stale = false;
    if (owned) stale = !isPidAlive(Number(owned[2]));
    else if (LEGACY.test(name)) stale = await stat(join(dir, name)).then((s) => now - s.mtimeMs > LEGACY_AGE_MS, () => false);
    if (!stale) continue;
    try {
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Someone else's folder we may not touch: leave it.
    }
  }
  return removed;
}
