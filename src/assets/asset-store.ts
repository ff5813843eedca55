import { readFile, stat } from 'node:fs/promises';
import { extname, relative, sep } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { AssetStoreInputError } from './errors/asset-store-input-error.js';
import { MissingObjectError } from './errors/missing-object-error.js';
import { collectGarbage, type GcOptions, type GcReport } from './gc.js';
import {
  assetManifestOf, assetManifestSchema, buildTaskManifest, parseManifest, taskOutputSchema,
  type AssetManifest, type TaskManifest, type TaskOutput, type TaskRunFacts,
} from './manifest.js';
import { writeObject, type IngestOptions, type IngestResult, type IngestSource } from './object-writer.js';
import { writeProvenance, type ProvenanceReport } from './provenance.js';
import { LINK_MODES, placeLink, renderPath, sidecarPath, type LinkMode } from './render-links.js';
import { isSha256 } from './sha256.js';
import { StoreLayout } from './store-layout.js';
import { registerWriter, type WriterRegistration } from './store-lock.js';
import { TaskIndex, type IndexedTask } from './task-index.js';
import { cleanTmp, type TmpCleanupReport } from './tmp-cleanup.js';
import { ensureDir } from '../platform/ensure-dir.js';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';

export interface AssetStoreOptions {
  /** Link kinds to try, in order (default symlink, hard link, copy). */
  linkModes?: readonly LinkMode[];
  /** `paths.dataDir`, relative to the project (default `.storycore`): objects, index, tmp, writer marks. */
  dataDir?: string;
  /**
   * Look, never write (`status`): no folder, writer mark, temp cleanup or index is created;
   * a project with no store reads as empty; `ingest`, `recordTaskOutputs` and `link` throw.
   */
  readOnly?: boolean;
}

export interface LinkResult {
  /** Path relative to the project, `/`-separated: `renders/shot-003/keyframe.png`. */
  path: string;
  mode: LinkMode;
  /** The manifest written beside the link, when the asset has one. */
  sidecar?: string;
}

/**
 * The project's content-addressed asset store (see docs/assets.md). Objects are immutable and
 * named by sha256; the index maps a task hash to its outputs and is written only after every
 * output object is in place, so a killed run leaves at most a temp file, which the next
 * `open` removes. Open one per project and process; `close` when done.
 */
export class AssetStore {
  readonly layout: StoreLayout;
  /** What startup cleanup removed from `.storycore/tmp/`. */
  readonly startupCleanup: TmpCleanupReport;
  private readonly index: TaskIndex;
  private readonly registration: WriterRegistration;
  private readonly linkModes: readonly LinkMode[];
  private readonly inFlightTmp = new Set<string>();
  private busy = 0;
  private closed = false;

  private constructor(layout: StoreLayout, index: TaskIndex, registration: WriterRegistration, cleanup: TmpCleanupReport, options: AssetStoreOptions) {
    this.layout = layout;
    this.index = index;
    this.registration = registration;
    this.startupCleanup = cleanup;
    this.linkModes = options.linkModes ?? LINK_MODES;
    this.readOnly = options.readOnly === true;
  }

  /** Opened with `readOnly`: nothing is ever written. */
  readonly readOnly: boolean;

  /** The sha256 and size a source would be stored under, without storing it (for read-only lookups). */
  async identify(source: string): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(source)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).byteLength;
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  /** Opens (creating if needed) the store of `projectDir`, registers as a writer and removes stale temp files. */
  static async open(projectDir: string, options: AssetStoreOptions = {}): Promise<AssetStore> {
    const layout = new StoreLayout(projectDir, options.dataDir);
    if (options.readOnly) {
      const index = existsSync(layout.index) ? new TaskIndex(layout.index, { snapshot: true }) : new TaskIndex(':memory:');
      return new AssetStore(layout, index, { id: 'read-only', release: async () => undefined }, { removed: [], kept: [] }, options);
    }
    await ensureDir(layout.root);
    const registration = await registerWriter(layout);
    try {
      const cleanup = await cleanTmp(layout);
      return new AssetStore(layout, new TaskIndex(layout.index), registration, cleanup, options);
    } catch (error) {
      await registration.release();
      throw error;
    }
  }

  /**
   * Stores a file, bytes or stream; returns its sha256. Atomic (temp file, fsync, rename) and
   * deduplicating; with `expectedSha256` a mismatch stores nothing and throws AssetHashMismatchError.
   */
  async ingest(source: IngestSource, options: IngestOptions = {}): Promise<IngestResult> {
    return this.guard(() => writeObject(this.layout, source, options, this.inFlightTmp));
  }

  objectPath(sha256: string): string {
    return this.layout.objectPath(checkSha(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return (await objectSize(this.objectPath(sha256))) !== undefined;
  }

  /**
   * Records a finished task: checks every output object is stored (and has the stated size),
   * writes each output's manifest, then commits the index entry in one transaction. Call it
   * only after ingesting all outputs. Returns the task manifest.
   */
  async recordTaskOutputs(taskHash: string, outputs: readonly TaskOutput[], facts: TaskRunFacts): Promise<TaskManifest> {
    return this.guard(async () => {
      checkSha(taskHash);
      const parsed = outputs.map((o, i) => parseManifest(taskOutputSchema, o, `output ${i} of task ${taskHash}`));
      for (const output of parsed) {
        const size = await objectSize(this.layout.objectPath(output.sha256));
        if (size === undefined) throw new MissingObjectError(output.sha256, `(${output.role}) is not in the store`);
        if (size !== output.bytes) throw new MissingObjectError(output.sha256, `(${output.role}) has ${size} bytes but the output says ${output.bytes}`);
      }
      const manifest = buildTaskManifest(taskHash, parsed, facts);
      for (const output of parsed) await this.writeAssetManifest(assetManifestOf(manifest, output));
      this.index.record(manifest, new Date().toISOString());
      return manifest;
    });
  }

  /**
   * The outputs recorded for a task, or undefined when the task must run: never recorded, or
   * one of its objects has gone missing from disk.
   */
  async lookupTask(taskHash: string): Promise<TaskOutput[] | undefined> {
    const outputs = this.index.outputs(checkSha(taskHash));
    if (!outputs) return undefined;
    for (const output of outputs) if ((await objectSize(this.layout.objectPath(output.sha256))) === undefined) return undefined;
    return outputs;
  }

  /** The full index record of a task (outputs and manifest). */
  task(taskHash: string): IndexedTask | undefined {
    return this.index.task(checkSha(taskHash));
  }

  tasks(): IndexedTask[] {
    return this.index.tasks();
  }

  async readManifest(sha256: string): Promise<AssetManifest | undefined> {
    let text: string;
    try {
      text = await readFile(this.layout.manifestPath(checkSha(sha256)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseManifest(assetManifestSchema, JSON.parse(text), `manifest of ${sha256}`);
  }

  /**
   * Points `renders/<relativePath>` at an object (replacing an older link atomically) and
   * writes the asset's manifest beside it (`keyframe.png` → `keyframe.json`).
   *
   * @example await store.link('shot-003/keyframe.png', sha)
   */
  async link(relativePath: string, sha256: string): Promise<LinkResult> {
    return this.guard(async () => {
      const target = renderPath(this.layout, relativePath);
      if ((await objectSize(this.objectPath(sha256))) === undefined) throw new MissingObjectError(sha256, `cannot be linked at ${relativePath}: it is not in the store`);
      const mode = await placeLink(this.layout, target, sha256, this.linkModes);
      const result: LinkResult = { path: this.projectRelative(target), mode };
      const manifest = await this.readManifest(sha256);
      if (manifest) {
        const sidecar = sidecarPath(target);
        await writeFileAtomic(sidecar, `${JSON.stringify(manifest, null, 2)}\n`);
        result.sidecar = this.projectRelative(sidecar);
      }
      return result;
    });
  }

  /** `renders/<shot>/<role><ext of the worker's filename>`, e.g. `renders/shot-003/clip.mp4`. */
  async linkOutput(shot: string, output: Pick<TaskOutput, 'role' | 'sha256' | 'filename'>): Promise<LinkResult> {
    return this.link(`${shot}/${output.role}${extname(output.filename).toLowerCase()}`, output.sha256);
  }

  /** Removes temp files of writers that died (also done by `open`). */
  async cleanTmp(): Promise<TmpCleanupReport> {
    return cleanTmp(this.layout, this.inFlightTmp);
  }

  /** Garbage collection (see gc.ts); refuses while this store is mid-write or another writer is open. */
  async gc(options: GcOptions = {}): Promise<GcReport> {
    this.assertOpen();
    if (this.busy > 0) throw new AssetStoreInputError('gc was called while this store is still writing', 'await every ingest, record and link before collecting garbage');
    this.busy++;
    try {
      return await collectGarbage(this.layout, { ...options, index: this.index, exceptWriter: this.registration.id });
    } finally {
      this.busy--;
    }
  }

  /** Rewrites provenance.json and ATTRIBUTION.md from the index. */
  async writeProvenance(): Promise<ProvenanceReport> {
    this.assertOpen();
    return writeProvenance(this.layout, this.index);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.index.close();
    await this.registration.release();
  }

  private async writeAssetManifest(manifest: AssetManifest): Promise<void> {
    const existing = await this.readManifest(manifest.asset.sha256).catch(() => undefined);
    // Identical bytes made by another task keep their first provenance; a task re-recording refreshes its own.
    if (existing && existing.taskHash !== manifest.taskHash) return;
    await writeFileAtomic(this.layout.manifestPath(manifest.asset.sha256), `${JSON.stringify(manifest, null, 2)}\n`, this.layout.tmp);
  }

  private projectRelative(path: string): string {
    return relative(this.layout.project, path).split(sep).join('/');
  }

  private assertOpen(): void {
    if (this.closed) throw new AssetStoreInputError(`the asset store of ${this.layout.project} is closed`, 'open it again with AssetStore.open()');
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.readOnly) throw new AssetStoreInputError(`the asset store of ${this.layout.project} was opened read-only`, 'open it without readOnly to write');
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
    }
  }
}

function checkSha(value: string): string {
  if (!isSha256(value)) throw new AssetStoreInputError(`"${value}" is not a sha256 hex digest`, 'pass the 64-character lowercase hex digest (taskHash() or ingest() return one)');
  return value;
}

async function objectSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
