import { createHash } from 'node:crypto';
import { chmod, readFile, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AssetStore, AssetStoreInputError, MissingObjectError, taskHash, type TaskOutput } from '../../src/assets/index.js';
import { runFacts } from './fixtures/project.js';
import { storePerTest, type TempProject } from './support/store-per-test.js';

const sha = (data: string): string => createHash('sha256').update(data).digest('hex');

let project: TempProject;
let store: AssetStore;
storePerTest((opened) => ({ project, store } = opened), () => store);

const TASK = taskHash({ templateId: 'wan22-i2v-14b', templateVersion: '1.0.0', params: { seed: 1 }, inputs: { start_image: sha('keyframe') } });

async function storeOutputs(): Promise<TaskOutput[]> {
  const clip = await store.ingest(Buffer.from('clip bytes'));
  const preview = await store.ingest(Buffer.from('preview bytes'));
  return [
    { role: 'clip', sha256: clip.sha256, kind: 'video', filename: 'Wan2.2_i2v_00001_.mp4', bytes: clip.bytes },
    { role: 'preview', sha256: preview.sha256, kind: 'image', filename: 'preview_00001_.png', bytes: preview.bytes },
  ];
}

describe('recordTaskOutputs / lookupTask', () => {
  it('round-trips outputs across a reopened store', async () => {
    const outputs = await storeOutputs();
    expect(await store.lookupTask(TASK)).toBeUndefined();
    await store.recordTaskOutputs(TASK, outputs, runFacts('wan22-i2v-14b', { seed: 1 }, { inputs: { start_image: sha('keyframe') } }));
    expect(await store.lookupTask(TASK)).toEqual(outputs);
    await store.close();

    store = await AssetStore.open(project.dir);
    expect(await store.lookupTask(TASK)).toEqual(outputs);
    const record = store.task(TASK)!;
    expect(record).toMatchObject({ taskHash: TASK, templateId: 'wan22-i2v-14b', templateVersion: '1.0.0', outputs });
    expect(record.manifest.inputs).toEqual([{ role: 'start_image', sha256: sha('keyframe') }]);
  });

  it('re-recording a task replaces its outputs', async () => {
    const [clip, preview] = await storeOutputs();
    const facts = runFacts('wan22-i2v-14b');
    await store.recordTaskOutputs(TASK, [clip!, preview!], facts);
    await store.recordTaskOutputs(TASK, [clip!], facts);
    expect(await store.lookupTask(TASK)).toEqual([clip]);
    expect(store.tasks()).toHaveLength(1);
  });

  it('refuses to record an output whose object is not stored, and records nothing', async () => {
    const [clip] = await storeOutputs();
    const missing: TaskOutput = { role: 'interpolated', sha256: sha('never ingested'), kind: 'video', filename: 'rife.mp4', bytes: 3 };
    const error = await store.recordTaskOutputs(TASK, [clip!, missing], runFacts('wan22-i2v-14b')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingObjectError);
    expect((error as Error).message).toContain(sha('never ingested'));
    expect(await store.lookupTask(TASK)).toBeUndefined();
    expect(await store.readManifest(clip!.sha256)).toBeUndefined();
  });

  it('refuses an output whose size disagrees with the stored object', async () => {
    const [clip] = await storeOutputs();
    await expect(store.recordTaskOutputs(TASK, [{ ...clip!, bytes: clip!.bytes + 1 }], runFacts('wan22-i2v-14b'))).rejects.toThrow(/has 10 bytes but the output says 11/);
  });

  it('validates outputs and task hashes', async () => {
    const [clip] = await storeOutputs();
    await expect(store.recordTaskOutputs('not-a-hash', [clip!], runFacts('wan22-i2v-14b'))).rejects.toBeInstanceOf(AssetStoreInputError);
    await expect(store.recordTaskOutputs(TASK, [{ ...clip!, role: 'Clip!' }], runFacts('wan22-i2v-14b'))).rejects.toThrow(/output 0 .* role/);
  });

  it('lookupTask reports a task whose object has vanished as not done, so it runs again', async () => {
    const outputs = await storeOutputs();
    await store.recordTaskOutputs(TASK, outputs, runFacts('wan22-i2v-14b'));
    const path = store.objectPath(outputs[0]!.sha256);
    await chmod(path, 0o644);
    await rm(path);
    expect(await store.lookupTask(TASK)).toBeUndefined();
  });

  it('keeps the first manifest of bytes that a second task happens to produce too', async () => {
    const [clip] = await storeOutputs();
    const other = taskHash({ templateId: 'wan22-i2v-14b', templateVersion: '1.0.0', params: { seed: 2 }, inputs: {} });
    await store.recordTaskOutputs(TASK, [clip!], runFacts('wan22-i2v-14b'));
    await store.recordTaskOutputs(other, [clip!], runFacts('wan22-i2v-14b', { seed: 2 }));
    expect((await store.readManifest(clip!.sha256))!.taskHash).toBe(TASK);
    expect(await store.lookupTask(other)).toEqual([clip]);
    const onDisk = JSON.parse(await readFile(store.layout.manifestPath(clip!.sha256), 'utf8')) as { taskHash: string };
    expect(onDisk.taskHash).toBe(TASK);
  });
});
