import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { tmpName } from './atomic-file.js';
import { StoreLockedError } from './errors/store-locked-error.js';
import { ownerAlive } from './process-liveness.js';
import type { StoreLayout } from './store-layout.js';
import { ensureDir } from '../platform/ensure-dir.js';
import { storageError } from '../platform/storage-errors.js';

/**
 * Writers and the garbage collector exclude each other without serialising writers:
 * every open store registers itself in `.storycore/writers/`, then checks `.storycore/lock`;
 * gc creates `.storycore/lock` (exclusively), then checks `.storycore/writers/`. Each side
 * writes its own mark before looking for the other's, so at least one of two racing parties
 * sees the other and backs off. Marks carry pid and host; a dead pid's mark is stale.
 */
const ownerSchema = z.object({ pid: z.number().int(), host: z.string(), since: z.string(), purpose: z.string().optional() });
type Owner = z.infer<typeof ownerSchema>;

export interface WriterRegistration {
  readonly id: string;
  release(): Promise<void>;
}

export interface GcLock {
  release(): Promise<void>;
}

function me(purpose: string): Owner {
  return { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
}

async function readOwner(path: string): Promise<Owner | undefined> {
  try {
    return ownerSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A half-written or foreign file: treat as an owner we cannot identify (pid 0 is never alive).
    return { pid: 0, host: hostname(), since: '' };
  }
}

async function createExclusive(path: string, owner: Owner): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw storageError(error, path);
  }
  const text = JSON.stringify(owner);
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    return true;
  } catch (error) {
    // A full disk must not leave an empty mark that reads as an unknown owner.
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw storageError(error, path, Buffer.byteLength(text));
  }
}

/** The gc lock's holder when it is alive, else undefined (no lock, or a stale one). */
export async function liveGcHolder(layout: StoreLayout): Promise<Owner | undefined> {
  const owner = await readOwner(layout.lock);
  return owner && ownerAlive(owner) ? owner : undefined;
}

/** Registers an open store as a writer; throws StoreLockedError when a live gc holds the lock. */
export async function registerWriter(layout: StoreLayout): Promise<WriterRegistration> {
  await ensureDir(layout.writers);
  await removeStaleWriters(layout);
  const id = tmpName('.json');
  const path = join(layout.writers, id);
  await createExclusive(path, me('write'));
  const release = async (): Promise<void> => rm(path, { force: true });
  const gc = await liveGcHolder(layout);
  if (gc) {
    await release();
    throw new StoreLockedError(`garbage collection (pid ${gc.pid} on ${gc.host}) is running on ${layout.project}`, gc.pid, 'wait for it to finish, then open the store again');
  }
  return { id, release };
}

/**
 * Takes `.storycore/lock` for garbage collection. Breaks a stale lock (dead pid), removes
 * stale writer registrations, and refuses while any live writer other than `exceptWriter`
 * (the caller's own store) has the project open.
 */
export async function acquireGcLock(layout: StoreLayout, exceptWriter?: string): Promise<GcLock> {
  await ensureDir(layout.root);
  for (let attempt = 0; !(await createExclusive(layout.lock, me('gc'))); attempt++) {
    const holder = await readOwner(layout.lock);
    if (holder && ownerAlive(holder)) {
      throw new StoreLockedError(`another garbage collection (pid ${holder.pid} on ${holder.host}) holds ${layout.lock}`, holder.pid, 'wait for it to finish; if that process is gone from another host, delete the lock file by hand');
    }
    if (attempt >= 3) throw new StoreLockedError(`could not take ${layout.lock}`, undefined, 'another process keeps recreating it; retry later');
    await rm(layout.lock, { force: true });
  }
  const release = async (): Promise<void> => rm(layout.lock, { force: true });
  try {
    const writer = await liveWriter(layout, exceptWriter);
    if (writer) {
      throw new StoreLockedError(`a writer (pid ${writer.pid} on ${writer.host}) has ${layout.project} open`, writer.pid, 'run gc when no render is in progress (close the other StoryCore process first)');
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { release };
}

async function liveWriter(layout: StoreLayout, exceptWriter: string | undefined): Promise<Owner | undefined> {
  let names: string[];
  try {
    names = await readdir(layout.writers);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  for (const name of names) {
    if (name === exceptWriter) continue;
    const path = join(layout.writers, name);
    const owner = await readOwner(path);
    if (!owner) continue;
    if (ownerAlive(owner)) return owner;
    await rm(path, { force: true });
  }
  return undefined;
}

/** Removes the marks of writers on this host that died without releasing them (kill -9). */
export async function removeStaleWriters(layout: StoreLayout): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(layout.writers).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(layout.writers, name);
    const owner = await readOwner(path);
    if (!owner || owner.host !== hostname() || ownerAlive(owner)) continue;
    // A mark being written right now reads as pid 0 for an instant: only drop unreadable ones once old.
    if (owner.pid === 0 && !(await olderThan(path, 60_000))) continue;
    await rm(path, { force: true });
    removed.push(name);
  }
  return removed;
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > ms;
}

/** Pids of live registered writers on this host, for temp-file cleanup. */
export async function liveWriterPids(layout: StoreLayout): Promise<Set<number>> {
  const pids = new Set<number>();
  let names: string[];
  try {
    names = await readdir(layout.writers);
  } catch {
    return pids;
  }
  for (const name of names) {
    const owner = await readOwner(join(layout.writers, name));
    if (owner && owner.host === hostname() && ownerAlive(owner)) pids.add(owner.pid);
  }
  return pids;
}
