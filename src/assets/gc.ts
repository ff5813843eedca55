import { existsSync } from 'node:fs';
import { chmod, readFile, rm } from 'node:fs/promises';
import { listManifests, listObjects } from './object-listing.js';
import { renderReferences } from './render-links.js';
import { layoutOf, type StoreLayout } from './store-layout.js';
import { acquireGcLock } from './store-lock.js';
import { TaskIndex } from './task-index.js';
import { cleanTmp } from './tmp-cleanup.js';

export interface GcOptions {
  /** Report what would be removed without removing anything. */
  dryRun?: boolean;
  /**
   * The task hashes still in use (the current story's tasks). When given, every other indexed
   * task that is not pinned is forgotten and its assets become collectable: the old versions of
   * an edited shot. Without it, every indexed task is kept.
   */
  keepTasks?: ReadonlySet<string>;
  /** Task hashes to keep besides `keepTasks` and the pins file (`--keep`). */
  pinned?: readonly string[];
}

/** An indexed task gc forgot (or would forget) because nothing uses it any more. */
export interface DroppedTask {
  taskHash: string;
  templateId: string;
  recordedAt: string;
}

export interface GcReport {
  dryRun: boolean;
  /** Objects removed (or that would be, in a dry run), with their sizes. */
  objects: { sha256: string; bytes: number }[];
  /** Indexed tasks no longer used (only when `keepTasks` was given). */
  tasks: DroppedTask[];
  tasksRemoved: number;
  /** sha256s whose sidecar manifest was removed. */
  manifests: string[];
  objectsRemoved: number;
  manifestsRemoved: number;
  /** Bytes of removed objects and manifests together. */
  bytesFreed: number;
  objectsKept: number;
  tmpRemoved: number;
}

/** Task hashes listed in `.storycore/pins`, one per line; `#` starts a comment. */
export async function readPins(layout: StoreLayout): Promise<string[]> {
  const text = await readFile(layout.pins, 'utf8').catch(() => '');
  return text.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter((line) => line.length > 0);
}

/**
 * Removes objects and manifests nothing refers to. Referenced means: an output or an input of
 * a task kept in the index, or shown by anything under renders/ (symlink, hard link or copy).
 * With `keepTasks`, a task is kept only when it is one of those or pinned; the others (old
 * versions of edited shots) are forgotten first. Takes
 * `.storycore/lock` and refuses while any other writer has the store open, so an object just
 * ingested but not yet recorded is never collected.
 */
export async function collectGarbage(projectDir: string | StoreLayout, options: GcOptions & { index?: TaskIndex; exceptWriter?: string } = {}): Promise<GcReport> {
  const layout = layoutOf(projectDir);
  const dryRun = options.dryRun ?? false;
  const lock = await acquireGcLock(layout, options.exceptWriter);
  const ownIndex = !options.index && existsSync(layout.index) ? new TaskIndex(layout.index) : undefined;
  try {
    const index = options.index ?? ownIndex;
    const tmpRemoved = dryRun ? 0 : (await cleanTmp(layout)).removed.length;
    const objects = await listObjects(layout);
    const dropped: DroppedTask[] = [];
    let referenced: Set<string>;
    if (options.keepTasks && index) {
      const keep = new Set([...options.keepTasks, ...(options.pinned ?? []), ...(await readPins(layout))]);
      referenced = new Set<string>();
      for (const task of index.tasks()) {
        if (keep.has(task.taskHash)) {
          for (const o of task.outputs) referenced.add(o.sha256);
          for (const i of task.manifest.inputs) referenced.add(i.sha256);
          continue;
        }
        dropped.push({ taskHash: task.taskHash, templateId: task.templateId, recordedAt: task.recordedAt });
        if (!dryRun) index.forget(task.taskHash);
      }
    } else {
      referenced = index?.referencedHashes() ?? new Set<string>();
    }
    for (const sha of (await renderReferences(layout, objects)).keys()) referenced.add(sha);

    const report: GcReport = { dryRun, tasks: dropped, tasksRemoved: dropped.length, objects: [], manifests: [], objectsRemoved: 0, manifestsRemoved: 0, bytesFreed: 0, objectsKept: 0, tmpRemoved };
    for (const object of objects) {
      if (referenced.has(object.sha256)) {
        report.objectsKept++;
        continue;
      }
      if (!dryRun) {
        await chmod(object.path, 0o644).catch(() => undefined); // objects are read-only; Windows will not unlink those
        await rm(object.path, { force: true });
      }
      report.objects.push({ sha256: object.sha256, bytes: object.bytes });
      report.bytesFreed += object.bytes;
    }
    for (const manifest of await listManifests(layout)) {
      if (referenced.has(manifest.sha256)) continue;
      if (!dryRun) await rm(manifest.path, { force: true });
      report.manifests.push(manifest.sha256);
      report.bytesFreed += manifest.bytes;
    }
    report.objectsRemoved = report.objects.length;
    report.manifestsRemoved = report.manifests.length;
    return report;
  } finally {
    ownIndex?.close();
    await lock.release();
  }
}
