import { afterEach, describe, expect, it } from 'vitest';
import { templateById } from '../../src/catalog/templates/index.js';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import { dispatchJob } from '../../src/scheduler/dispatcher/job-payload.js';
import type { DispatchedResult } from '../../src/scheduler/dispatcher/dispatcher-events.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../../src/scheduler/router/router.js';
import { gpuProfile } from '../../src/catalog/cost/gpu-profiles.js';
import type { FaultRule } from '../../src/sim/index.js';
import { modelsFor, poolFor, startWorkers, tempDir, until, writePng, type EmulatedWorker } from './support/harness.js';

/**
 * A job runs out of memory in one of two ways, and the failure policy answers both alike (a
 * worker with more VRAM, else the lower-memory form), recorded in the job's history:
 * (a) predicted: the catalogue estimate exceeds the card, so preflight refuses the prompt before
 *     it is submitted (DISPATCH_VRAM_SHORT);
 * (b) real: the estimate fits but the worker raises torch's OOM while sampling
 *     (COMFY_OUT_OF_MEMORY), injected here as a fault on the sampler.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const template = templateById('wan22-i2v-14b');
// 720p, 5 frames: a short run for the emulator; the estimate stays at the catalogue floor.
const fp16 = { precision: 'fp16', width: 1280, height: 720, length: 5 };
const fp8 = { ...fp16, precision: 'fp8_scaled' };
const models = modelsFor([
  { templateId: 'wan22-i2v-14b', params: fp16 },
  { templateId: 'wan22-i2v-14b', params: fp8 },
]);

/** ComfyUI's OOM as the sampler raises it (src/sim/cost/gpu-state.ts), once. */
const samplerOom: FaultRule = {
  classType: 'KSamplerAdvanced',
  action: { type: 'raise', exceptionType: 'torch.OutOfMemoryError', message: 'Allocation on device ' },
  times: 1,
};

const vramGb = (profile: 'rtx4090' | 'l40s') => gpuProfile(profile).vramBytes / 1e9;

async function run(workers: EmulatedWorker[], params: Record<string, unknown>) {
  const dir = tempDir('dispatch-oom-');
  const emulators = await startWorkers(workers);
  const queue = new SqliteJobQueue({ path: `${dir.path}/queue.sqlite` });
  const pool = poolFor(emulators);
  await pool.start();
  // least_memory sends the job to the smallest card whose VRAM fits some precision of it: the 4090.
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
  return { job, emulators, result: job.result as unknown as DispatchedResult };
}

describe('out of memory on a 24 GB card', () => {
  it('premises: fp16 exceeds the 4090 by the estimate (33.6 GB); fp8_scaled fits it, fp16 fits an L40S', () => {
    expect(template.estimate(fp16).vramGb.fp16).toBeGreaterThan(vramGb('rtx4090'));
    expect(template.estimate(fp8).vramGb.fp8).toBeLessThanOrEqual(vramGb('rtx4090'));
    expect(template.estimate(fp16).vramGb.fp16).toBeLessThanOrEqual(vramGb('l40s'));
  });

  describe('(a) predicted by preflight: the prompt is never submitted to the small card', () => {
    it('moves the job to the a100-80g worker, recorded in its history', async () => {
      const { job, emulators, result } = await run(
        [
          { name: 'rtx4090', profile: 'rtx4090', models, timeScale: 0.001 },
          { name: 'a100-80g', profile: 'a100-80g', models, timeScale: 0.001 },
        ],
        fp16,
      );
      expect(job.state).toBe('completed');
      expect(job.history[0]!.worker).toBe('rtx4090@test');
      expect(job.history[0]!.error!.code).toBe('DISPATCH_VRAM_SHORT');
      expect(job.history[0]!.error!.message).toBe('too little VRAM on rtx4090 (24 GB): retried on a100-80g (79 GB)');
      expect(emulators.get('rtx4090')!.stats.submissions).toBe(0);
      expect(result.worker).toBe('a100-80g');
      expect(result.gpu.profile).toBe('a100-80g');
      expect(result.variant).toBeNull();
      expect(result.outputs.map((o) => o.kind)).toEqual(['video']);
      // The input was uploaded once to each worker that needed it, by content hash.
      expect(emulators.get('a100-80g')!.stats.submissions).toBe(1);
    });

    it('without a bigger card, retries with the lower-memory variant (fp8) on the same worker', async () => {
      const { job, emulators, result } = await run([{ name: 'rtx4090', profile: 'rtx4090', models, timeScale: 0.001 }], fp16);
      expect(job.state).toBe('completed');
      expect(job.history[0]!.error!.code).toBe('DISPATCH_VRAM_SHORT');
      expect(job.history[0]!.error!.message).toBe('too little VRAM on rtx4090 (24 GB): retried with variant fp8');
      expect(emulators.get('rtx4090')!.stats.submissions).toBe(1);
      expect(result.worker).toBe('rtx4090');
      expect(result.variant).toBe('fp8');
    });
  });

  describe('(b) a real OOM at run time, where the estimate fits', () => {
    it('moves the job to the a100-80g worker, recorded in its history', async () => {
      const { job, emulators, result } = await run(
        [
          { name: 'rtx4090', profile: 'rtx4090', models, timeScale: 0.001, faults: [samplerOom] },
          { name: 'a100-80g', profile: 'a100-80g', models, timeScale: 0.001 },
        ],
        fp8,
      );
      expect(job.state).toBe('completed');
      expect(job.history[0]!.worker).toBe('rtx4090@test');
      expect(job.history[0]!.error!.code).toBe('COMFY_OUT_OF_MEMORY');
      expect(job.history[0]!.error!.message).toBe('OOM on rtx4090 (24 GB): retried on a100-80g (79 GB)');
      // Preflight let it through: the 4090 ran the prompt and failed in the sampler.
      expect(emulators.get('rtx4090')!.stats.submissions).toBe(1);
      expect(result.worker).toBe('a100-80g');
      expect(result.variant).toBeNull();
      expect(result.outputs.map((o) => o.kind)).toEqual(['video']);
    });

    it('without a bigger card, retries with the lower-memory variant (fp8) on the same worker', async () => {
      // fp16 fits an L40S (47.7 GB) by the estimate; the sampler still runs out (say, another process holds VRAM).
      const { job, emulators, result } = await run([{ name: 'l40s', profile: 'l40s', models, timeScale: 0.001, faults: [samplerOom] }], fp16);
      expect(job.state).toBe('completed');
      expect(job.history[0]!.worker).toBe('l40s@test');
      expect(job.history[0]!.error!.code).toBe('COMFY_OUT_OF_MEMORY');
      expect(job.history[0]!.error!.message).toBe('OOM on l40s (44 GB): retried with variant fp8');
      expect(emulators.get('l40s')!.stats.submissions).toBe(2);
      expect(result.worker).toBe('l40s');
      expect(result.variant).toBe('fp8');
      expect(result.outputs.map((o) => o.kind)).toEqual(['video']);
    });
  });
});
