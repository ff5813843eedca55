import { createHash } from 'node:crypto';
import { readlink, symlink } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import type { AssetStore, TaskOutput } from '../assets/index.js';
import type { InputAsset, StoryTask } from '../story/tasks/index.js';
import { ReferenceImageError } from '../story/tasks/index.js';
import { ImageInputError } from '../platform/errors/image-input-error.js';
import { readImageInput } from '../platform/image-input.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../platform/input-limits.js';
import { ensureDir } from '../platform/ensure-dir.js';

/** What a bound input needs: its content, and a path with the right extension to upload it from. */
export interface ResolvedInput extends InputAsset {
  role: string;
  param: string;
  path: string;
}

/**
 * `.storycore/inputs/<sha256><ext>`: a link to the stored object with the extension the
 * worker's loaders expect (objects are named by hash alone). Created once, never changed.
 */
export async function inputPath(store: AssetStore, sha256: string, ext: string): Promise<string> {
  const dir = join(store.layout.root, 'inputs');
  const path = join(dir, `${sha256}${ext.toLowerCase()}`);
  if (store.readOnly) return path;
  await ensureDir(dir);
  const target = relative(dir, store.objectPath(sha256));
  try {
    await symlink(target, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((await readlink(path).catch(() => '')) !== target) throw error;
  }
  return path;
}

/**
 * The inputs of a task whose producers are done: other tasks' outputs (by their stored
 * sha256), and project files (reference images), which are ingested into the store first so
 * the manifest's inputs always resolve. Returns undefined when a producer has no output yet.
 */
export async function resolveInputs(
  task: StoryTask,
  store: AssetStore,
  outputsOf: (taskKey: string) => readonly TaskOutput[] | undefined,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Promise<ResolvedInput[] | undefined> {
  const resolved: ResolvedInput[] = [];
  for (const input of task.inputs) {
    let sha256: string;
    let ext: string;
    if ('task' in input.from) {
      const output = outputsOf(input.from.task)?.find((o) => o.kind === input.kind) ?? outputsOf(input.from.task)?.[0];
      if (!output) return undefined;
      sha256 = output.sha256;
      ext = extname(output.filename) || (input.kind === 'video' ? '.mp4' : '.png');
    } else {
      const { file, character } = input.from;
      // Checked as an image (format, bytes, pixels) before anything is stored or uploaded.
      const owner = character ? `the references of character '${character}' (used by ${task.shotId})` : `characters[].references (${task.shotId})`;
      const bytes = await readImageInput(file, owner, limits);
      try {
        // A read-only store (status) only needs the hash of the checked bytes.
        sha256 = store.readOnly ? createHash('sha256').update(bytes).digest('hex') : (await store.ingest(bytes)).sha256;
      } catch (cause) {
        if (cause instanceof ImageInputError) throw cause;
        throw new ReferenceImageError(character, task.shotId, file, cause);
      }
      ext = extname(file) || '.png';
    }
    resolved.push({ role: input.role, param: input.param, sha256, ext, path: await inputPath(store, sha256, ext) });
  }
  return resolved;
}
