import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { StorageError } from './errors/storage-error.js';
import { storageError } from './storage-errors.js';

/**
 * Creates a folder and its parents, failing once with a StorageError naming the folder.
 * Used instead of `mkdir(dir, {recursive: true})` everywhere: Node's recursive mkdir loops
 * forever (at full CPU) where a parent exists but refuses children with ENOENT, as /proc does.
 * Each level is tried at most twice, so every call ends.
 */
export async function ensureDir(dir: string): Promise<void> {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let current = target; ; current = dirname(current)) {
    const kind = await stat(current).then((s) => (s.isDirectory() ? 'dir' : 'file'), (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 'none' : e));
    if (kind === 'dir') break;
    if (kind === 'file') throw notAFolder(target, current);
    if (kind !== 'none') throw notCreatable(target, current, kind);
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(folder).then((s) => s.isDirectory(), () => false))) continue;
      throw notCreatable(target, folder, error);
    }
  }
}

/** The synchronous form of `ensureDir`, for the synchronous openers (SQLite files). */
export function ensureDirSync(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let current = target; ; current = dirname(current)) {
    let kind: 'dir' | 'file' | 'none';
    try {
      kind = statSync(current).isDirectory() ? 'dir' : 'file';
    } catch (error) {
      if (!['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw notCreatable(target, current, error);
      kind = 'none';
    }
    if (kind === 'dir') break;
    if (kind === 'file') throw notAFolder(target, current);
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && isDirSync(folder)) continue;
      throw notCreatable(target, folder, error);
    }
  }
}

function isDirSync(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function notAFolder(target: string, file: string): StorageError {
  return new StorageError('STORAGE_FOLDER_NOT_CREATABLE', target, `cannot create folder ${target}: ${file} is a file, not a folder`, {
    hint: 'move that file away, or point the setting that holds this folder elsewhere',
  });
}

function notCreatable(target: string, failed: string, error: unknown): unknown {
  const translated = storageError(error, target);
  if (translated instanceof StorageError) return translated;
  const code = (error as { code?: unknown } | null)?.code;
  const where = failed === target ? '' : ` (at ${failed})`;
  return new StorageError('STORAGE_FOLDER_NOT_CREATABLE', target, `cannot create folder ${target}${where}: ${typeof code === 'string' ? code : String(error)}`, {
    hint: 'this filesystem does not allow a folder there; point the setting that holds it at a writable folder',
    cause: error,
  });
}
