import { isAbsolute, relative, resolve } from 'node:path';
import type { StoryCoreConfig } from '../config/index.js';
import { queueSqlitePath } from '../config/index.js';
import { formatBytes } from '../platform/storage-errors.js';

/** A config key that holds a path, with the absolute path it resolves to here. */
export interface PathSetting {
  key: string;
  path: string;
}

/** The settings a StorageError's path may come from, most specific first. */
export function pathSettings(config: StoryCoreConfig, cwd: string, env: NodeJS.ProcessEnv): PathSetting[] {
  return [
    { key: 'queue.sqlitePath', path: queueSqlitePath(config, cwd) },
    { key: 'paths.dataDir', path: resolve(cwd, config.paths.dataDir) },
    { key: 'paths.outputDir', path: resolve(cwd, config.paths.outputDir) },
    { key: 'TMPDIR', path: resolve(env.TMPDIR ?? '/tmp') },
    { key: 'paths.projectDir', path: resolve(cwd, config.paths.projectDir) },
  ];
}

interface StorageLike {
  code: string;
  path: string;
  bytesNeeded?: number | undefined;
  bytesFree?: number | undefined;
}

function isStorageLike(error: unknown): error is StorageLike {
  const e = error as Partial<StorageLike> | null;
  return typeof e?.code === 'string' && e.code.startsWith('STORAGE_') && typeof e.path === 'string';
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The fix for a storage failure, naming the setting that put the path there: "set
 * paths.dataDir (now /proc/nope) to a folder this user can write". Undefined when the error is
 * not a storage failure or no setting holds its path.
 */
export function storageHint(error: unknown, settings: readonly PathSetting[]): string | undefined {
  if (!isStorageLike(error)) return undefined;
  // The most specific setting wins: the data folder inside the project, not the project.
  const setting = settings.filter((s) => inside(s.path, error.path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!setting) return undefined;
  const key = setting.key === 'TMPDIR' ? 'the TMPDIR environment variable' : setting.key;
  if (error.code === 'STORAGE_DISK_FULL') {
    const missing = error.bytesNeeded !== undefined ? formatBytes(Math.max(error.bytesNeeded - (error.bytesFree ?? 0), 1)) : 'some space';
    return `free at least ${missing} on that disk, or set ${key} (now ${setting.path}) to a folder on a disk with room`;
  }
  return `set ${key} (now ${setting.path}) to a folder this user can create and write`;
}
