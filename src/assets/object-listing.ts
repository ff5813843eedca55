import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isSha256 } from './sha256.js';
import type { StoreLayout } from './store-layout.js';

export interface StoredObject {
  sha256: string;
  path: string;
  bytes: number;
  /** `dev:ino`, to recognise hard links to the object. */
  inode: string;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every object file in `.storycore/objects/<aa>/`; names that are not a sha256 are ignored. */
export async function listObjects(layout: StoreLayout): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for (const fan of (await entries(layout.objects)).sort()) {
    const dir = join(layout.objects, fan);
    for (const name of (await entries(dir)).sort()) {
      if (!isSha256(name) || !name.startsWith(fan)) continue;
      const path = join(dir, name);
      const info = await lstat(path);
      if (info.isFile()) out.push({ sha256: name, path, bytes: info.size, inode: `${info.dev}:${info.ino}` });
    }
  }
  return out;
}

/** Sidecar manifests in `.storycore/manifests/`, by the sha256 they describe. */
export async function listManifests(layout: StoreLayout): Promise<{ sha256: string; path: string; bytes: number }[]> {
  const out = [];
  for (const name of (await entries(layout.manifests)).sort()) {
    const sha256 = name.replace(/\.json$/, '');
    if (!name.endsWith('.json') || !isSha256(sha256)) continue;
    const path = join(layout.manifests, name);
    out.push({ sha256, path, bytes: (await lstat(path)).size });
  }
  return out;
}
