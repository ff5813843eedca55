import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, lstat, link, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { posix } from 'node:path';
import { tmpName } from './atomic-file.js';
import { AssetStoreInputError } from './errors/asset-store-input-error.js';
import type { StoredObject } from './object-listing.js';
import { isSha256 } from './sha256.js';
import type { StoreLayout } from './store-layout.js';
import { ensureDir } from '../platform/ensure-dir.js';

/**
 * Readable names for stored objects under `renders/` (`renders/shot-003/clip.mp4`). A relative
 * symlink where the OS allows one (the tree can be moved or copied as a whole), else a hard link,
 * else a copy. A link is replaced by building the new one beside it and renaming it over the
 * old, so a reader (a video player, ffmpeg) sees the old file or the new one, never neither.
 */
export type LinkMode = 'symlink' | 'hardlink' | 'copy';
export const LINK_MODES: readonly LinkMode[] = ['symlink', 'hardlink', 'copy'];

/** Errors that mean "this filesystem or user cannot make that kind of link": try the next mode. */
const UNSUPPORTED = new Set(['EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'EMLINK']);

/** `shot-003/keyframe.png` → a normalised path under renders/, refusing absolute paths and `..`. */
export function renderPath(layout: StoreLayout, relativePath: string): string {
  const normalised = posix.normalize(relativePath.replaceAll('\\', '/'));
  if (!normalised || normalised === '.' || isAbsolute(relativePath) || normalised.startsWith('/') || normalised.split('/').includes('..')) {
    throw new AssetStoreInputError(`render link path "${relativePath}" must be a relative path inside renders/`, 'use a path such as "shot-003/keyframe.png"');
  }
  return join(layout.renders, ...normalised.split('/'));
}

/** The sidecar beside a link: `keyframe.png` → `keyframe.json`. */
export function sidecarPath(linkPath: string): string {
  const name = basename(linkPath);
  const dot = name.lastIndexOf('.');
  return join(dirname(linkPath), `${dot > 0 ? name.slice(0, dot) : name}.json`);
}

export async function placeLink(layout: StoreLayout, target: string, sha256: string, modes: readonly LinkMode[]): Promise<LinkMode> {
  const object = layout.objectPath(sha256);
  const dir = dirname(target);
  await ensureDir(dir);
  const tmp = join(dir, `.${basename(target)}.${tmpName('.tmp')}`);
  let lastError: unknown;
  for (const mode of modes) {
    try {
      if (mode === 'symlink') await symlink(relative(dir, object), tmp, 'file');
      else if (mode === 'hardlink') await link(object, tmp);
      else await copyFile(object, tmp);
    } catch (error) {
      lastError = error;
      await rm(tmp, { force: true });
      if (UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) continue;
      throw error;
    }
    try {
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return mode;
  }
  throw lastError ?? new Error('no link mode allowed');
}

async function walk(dir: string, visit: (path: string) => Promise<void>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names.sort()) {
    const path = join(dir, name);
    const info = await lstat(path);
    if (info.isDirectory()) await walk(path, visit);
    else await visit(path);
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * sha256 → paths under renders/ (relative to the project) that show it: symlinks by their
 * target, hard links by inode, copies by content (hashed only when their size matches an
 * object's). Half-made link temp files count too: while one exists its object is referenced.
 */
export async function renderReferences(layout: StoreLayout, objects: readonly StoredObject[]): Promise<Map<string, string[]>> {
  const refs = new Map<string, string[]>();
  const byInode = new Map(objects.map((o) => [o.inode, o.sha256]));
  const sizes = new Set(objects.map((o) => o.bytes));
  const known = new Set(objects.map((o) => o.sha256));
  const objectsRoot = resolve(layout.objects) + sep;
  const add = (sha: string, path: string): void => {
    const list = refs.get(sha) ?? [];
    list.push(relative(layout.project, path).split(sep).join('/'));
    refs.set(sha, list);
  };
  await walk(layout.renders, async (path) => {
    const info = await lstat(path);
    if (info.isSymbolicLink()) {
      const resolved = resolve(dirname(path), await readlink(path));
      const name = basename(resolved);
      if (resolved.startsWith(objectsRoot) && isSha256(name)) add(name, path);
      return;
    }
    if (!info.isFile()) return;
    const inodeHit = byInode.get(`${info.dev}:${info.ino}`);
    if (inodeHit) return add(inodeHit, path);
    if (!sizes.has(info.size)) return;
    const sha = await hashFile(path);
    if (known.has(sha)) add(sha, path);
  });
  return refs;
}
