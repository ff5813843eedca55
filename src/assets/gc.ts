import { existsSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import { listManifests, listObjects } from './object-listing.js';
import { renderReferences } from './render-links.js';
import { layoutOf, type StoreLayout } from './store-layout.js';
import { acquireGcLock } from './store-lock.js';
import { TaskIndex } from './task-index.js';
import { cleanTmp } from './tmp-cleanup.js';

export interface GcOptions {
  /** Report what would be removed without removing anything. */
  dryRun?: boolean;
}

export interface GcReport {
  dryRun: boolean;
  /** Objects removed (or that would be, in a dry run), with their sizes. */
  objects: { sha256: string; bytes: number }[];
  /** sha256s whose sidecar manifest was removed. */
  manifests: string[];
  objectsRemoved: number;
  manifestsRemoved: number;
  /** Bytes of removed objects and manifests together. */
  bytesFreed: number;
  objectsKept: number;
  tmpRemoved: number;
}

/**
 * Removes objects and manifests nothing refers to. Referenced means: an output or an input of
 * a task in the index, or shown by anything under renders/ (symlink, hard link or copy). Takes
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
    const referenced = index?.referencedHashes() ?? new Set<string>();
    for (const sha of (await renderReferences(layout, objects)).keys()) referenced.add(sha);

    const report: GcReport = { dryRun, objects: [], manifests: [], objectsRemoved: 0, manifestsRemoved: 0, bytesFreed: 0, objectsKept: 0, tmpRemoved };
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
