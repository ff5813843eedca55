import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import { dispatchJob } from '../../src/scheduler/dispatcher/job-payload.js';
import type { DispatchedResult } from '../../src/scheduler/dispatcher/dispatcher-events.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../../src/scheduler/router/router.js';
import { modelsFor, poolFor, startWorkers, tempDir, until, writePng, type EmulatedWorker } from './support/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// 720p with the fp16 experts (28.6 GB each) does not fit a 4090; fp8 does.
const params = { precision: 'fp16', width: 1280, height: 720, length: 5 };
const models = modelsFor([
  { templateId: 'wan22-i2v-14b', params },
  { templateId: 'wan22-i2v-14b', params: { ...params, precision: 'fp8_scaled' } },
]);

async function run(workers: EmulatedWorker[]) {
  const dir = tempDir('dispatch-oom-');
  const emulators = await startWorkers(workers);
  const queue = new SqliteJobQueue({ path: `${dir.path}/queue.sqlite` });
  const pool = poolFor(emulators);
  await pool.start();
  // least_memory sends the job to the smallest card that (by the estimate) fits: the 4090.
  const dispatcher = new Dispatcher({ queue, pool, id: 'test', outputDir: `${dir.path}/out`, pollMs: 50, router: new Router({ strategy: 'least_memory' }) });
  cleanups.push(async () => {
    await dispatcher.stop({ mode: 'release' });
    await pool.close();
    for (const e of emulators.values()) await e.close();
    await queue.close();
    dir.remove();
  });
  const image = writePng(`${dir.path}/start.png`);
  await queue.add([dispatchJob({ id: 'clip-720p', kind: 'clip', payload: { templateId: 'wan22-i2v-14b', params, inputs: [{ name: 'image', path: image }] } })]);
  dispatcher.start();
  const job = await until(async () => {
    const j = await queue.get('clip-720p');
    return j && (j.state === 'completed' || j.state === 'failed') ? j : undefined;
  }, 'the job to finish', 60_000);
  return { job, emulators };
}

describe('out of memory on a 24 GB card', () => {
  it('moves the job to the a100-80g worker, recorded in its history', async () => {
    const { job, emulators } = await run([
      { name: 'rtx4090', profile: 'rtx4090', models, timeScale: 0.001 },
      { name: 'a100-80g', profile: 'a100-80g', models, timeScale: 0.001 },
    ]);
    expect(job.state).toBe('completed');
    expect(job.history[0]!.worker).toBe('rtx4090@test');
    // Caught by preflight's VRAM estimate when the catalogue predicts it, else by the emulator's real OOM.
    expect(['COMFY_OUT_OF_MEMORY', 'DISPATCH_VRAM_SHORT']).toContain(job.history[0]!.error!.code);
    expect(job.history[0]!.error!.message).toMatch(/^(OOM|too little VRAM) on rtx4090 \(24 GB\): retried on a100-80g \(79 GB\)$/);
    const result = job.result as unknown as DispatchedResult;
    expect(result.worker).toBe('a100-80g');
    expect(result.gpu.profile).toBe('a100-80g');
    expect(result.variant).toBeNull();
    expect(result.outputs.map((o) => o.kind)).toEqual(['video']);
    // The input was uploaded once to each worker that needed it, by content hash.
    expect(emulators.get('a100-80g')!.stats.submissions).toBe(1);
  });

  it('without a bigger card, retries with the lower-memory variant (fp8) on the same worker', async () => {
    const { job } = await run([{ name: 'rtx4090', profile: 'rtx4090', models, timeScale: 0.001 }]);
    expect(job.state).toBe('completed');
    expect(job.history[0]!.error!.message).toMatch(/^(OOM|too little VRAM) on rtx4090 \(24 GB\): retried with variant fp8$/);
    const result = job.result as unknown as DispatchedResult;
    expect(result.worker).toBe('rtx4090');
    expect(result.variant).toBe('fp8');
  });
});
