import { copyFile, link, mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AssetStore, AssetStoreInputError, collectGarbage, StoreLockedError, taskHash, type TaskOutput } from '../../src/assets/index.js';
import { kill, startChild } from './fixtures/child.js';
import { deadPid, runFacts } from './fixtures/project.js';
import { storePerTest, type TempProject } from './support/store-per-test.js';

const HOLD_STORE = fileURLToPath(new URL('./fixtures/hold-store.ts', import.meta.url));
const task = (seed: number): string => taskHash({ templateId: 'sdxl-t2i', templateVersion: '1.0.0', params: { seed }, inputs: {} });

let project: TempProject;
let store: AssetStore;
storePerTest((opened) => ({ project, store } = opened), () => store);

async function put(text: string) {
  return store.ingest(Buffer.from(text));
}

function output(role: string, o: { sha256: string; bytes: number }): TaskOutput {
  return { role, sha256: o.sha256, kind: 'image', filename: `${role}.png`, bytes: o.bytes };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

describe('gc', () => {
  it('removes only objects and manifests nothing references, and reports bytes freed', async () => {
    const recorded = await put('recorded keyframe');
    const input = await put('user reference image');
    const symlinked = await put('linked only');
    const hardLinked = await put('hard linked by hand');
    const copied = await put('copied by hand');
    const orphan = await put('never referenced');
    const superseded = await put('output of an earlier recording');

    await store.recordTaskOutputs(task(1), [output('keyframe', recorded), output('extra', superseded)], runFacts('sdxl-t2i'));
    await store.recordTaskOutputs(task(1), [output('keyframe', recorded)], runFacts('sdxl-t2i'));
    await store.recordTaskOutputs(task(2), [output('keyframe', recorded)], runFacts('sdxl-t2i', { seed: 2 }, { inputs: { reference: input.sha256 } }));
    await store.link('shot-001/keyframe.png', symlinked.sha256);
    await mkdir(join(project.dir, 'renders', 'by-hand'), { recursive: true });
    await link(hardLinked.path, join(project.dir, 'renders', 'by-hand', 'hard.png'));
    await copyFile(copied.path, join(project.dir, 'renders', 'by-hand', 'copy.png'));
    await writeFile(join(project.dir, 'renders', 'by-hand', 'same-size-not-a-copy.png'), 'x'.repeat(orphan.bytes));
    const supersededManifest = store.layout.manifestPath(superseded.sha256);
    const manifestBytes = (await stat(supersededManifest)).size;

    const dry = await store.gc({ dryRun: true });
    const expected = [orphan, superseded].map((o) => ({ sha256: o.sha256, bytes: o.bytes })).sort((a, b) => a.sha256.localeCompare(b.sha256));
    expect(dry).toMatchObject({ dryRun: true, objectsRemoved: 2, manifestsRemoved: 1, manifests: [superseded.sha256], objectsKept: 5, bytesFreed: orphan.bytes + superseded.bytes + manifestBytes });
    expect(dry.objects).toEqual(expected);
    expect(await exists(orphan.path)).toBe(true);
    expect(await exists(supersededManifest)).toBe(true);

    const real = await store.gc();
    expect(real).toMatchObject({ dryRun: false, objects: expected, objectsRemoved: 2, manifestsRemoved: 1, bytesFreed: dry.bytesFreed, objectsKept: 5 });
    expect(await exists(orphan.path)).toBe(false);
    expect(await exists(superseded.path)).toBe(false);
    expect(await exists(supersededManifest)).toBe(false);
    for (const kept of [recorded, input, symlinked, hardLinked, copied]) expect(await exists(kept.path)).toBe(true);
    expect(await exists(store.layout.manifestPath(recorded.sha256))).toBe(true);
    expect(await store.lookupTask(task(1))).toEqual([output('keyframe', recorded)]);

    expect(await store.gc()).toMatchObject({ objectsRemoved: 0, manifestsRemoved: 0, bytesFreed: 0 });
    expect(await exists(store.layout.lock)).toBe(false);
  });

  it('keeps an object shown by a symlink made by hand, even with an absolute target', async () => {
    const kept = await put('absolute link');
    await mkdir(join(project.dir, 'renders', 'x'), { recursive: true });
    await symlink(kept.path, join(project.dir, 'renders', 'x', 'abs.png'));
    await symlink(relative(join(project.dir, 'renders', 'x'), kept.path), join(project.dir, 'renders', 'x', 'rel.png'));
    expect((await store.gc()).objectsRemoved).toBe(0);
    expect(await exists(kept.path)).toBe(true);
  });

  it('refuses to run while another process has the store open, and runs once it is gone', async () => {
    const orphan = await put('orphan');
    const { child } = await startChild(HOLD_STORE, [project.dir]);
    try {
      const error = await store.gc().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreLockedError);
      expect((error as StoreLockedError).holderPid).toBe(child.pid);
      expect(await exists(store.layout.lock)).toBe(false);
    } finally {
      await kill(child);
    }
    // The killed writer's registration is stale now.
    expect((await store.gc()).objects).toEqual([{ sha256: orphan.sha256, bytes: orphan.bytes }]);
    expect(await readdir(store.layout.writers)).toHaveLength(1); // ours
  });

  it('standalone collectGarbage refuses while a store is open in this very process', async () => {
    await expect(collectGarbage(project.dir)).rejects.toBeInstanceOf(StoreLockedError);
    await store.close();
    await expect(collectGarbage(project.dir, { dryRun: true })).resolves.toMatchObject({ objectsRemoved: 0 });
    store = await AssetStore.open(project.dir);
  });

  it('refuses while this store is mid-ingest', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('part one');
      await gate;
      yield Buffer.from(' part two');
    }
    const pending = store.ingest(slow());
    await expect(store.gc()).rejects.toBeInstanceOf(AssetStoreInputError);
    release();
    const stored = await pending;
    expect(await exists(stored.path)).toBe(true);
  });

  it('breaks a stale lock left by a dead gc, but not a live one', async () => {
    const orphan = await put('orphan');
    await writeFile(store.layout.lock, JSON.stringify({ pid: deadPid(), host: hostname(), since: new Date().toISOString(), purpose: 'gc' }));
    expect((await store.gc()).objectsRemoved).toBe(1);
    expect(await exists(orphan.path)).toBe(false);
    expect(await exists(store.layout.lock)).toBe(false);

    const { child } = await startChild(HOLD_STORE, [join(project.dir, 'elsewhere')]);
    try {
      await writeFile(store.layout.lock, JSON.stringify({ pid: child.pid, host: hostname(), since: new Date().toISOString(), purpose: 'gc' }));
      await expect(store.gc()).rejects.toThrow(/another garbage collection \(pid \d+/);
      // Writers cannot open the store while a live gc holds the lock either.
      await expect(AssetStore.open(project.dir)).rejects.toBeInstanceOf(StoreLockedError);
    } finally {
      await kill(child);
    }
    await expect(AssetStore.open(project.dir).then((s) => s.close())).resolves.toBeUndefined();
  });
});
