import { describe, expect, it } from 'vitest';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { CostEstimator } from '../../src/scheduler/router/cost-estimator.js';
import { applyRun, type Residency } from '../../src/scheduler/router/residency.js';
import { Router } from '../../src/scheduler/router/router.js';
import { lowerBound } from '../../bench/simulation/lower-bound.js';
import { RouterPolicy } from '../../bench/simulation/router-policy.js';
import { simulate } from '../../bench/simulation/simulate.js';
import { pool, storyWorkload } from '../../bench/simulation/story-workload.js';
import { VirtualWorker } from '../../bench/simulation/virtual-worker.js';
import type { QueuedWork } from '../../src/scheduler/router/types.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { GPU_PROFILES, gpuProfile, withHostRam, type GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';
import { worker } from './support.js';

const GiB = 1024 ** 3;
const QWEN = { key: 'qwen_image_fp8_e4m3fn.safetensors', bytes: 20.4e9 };
const HIGH = { key: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', bytes: 14.3e9 };

describe('host RAM tier of GpuState', () => {
  it('keeps a model evicted from VRAM in RAM when it fits: the reload is a host→device copy only', () => {
    const p = gpuProfile('rtx4090'); // 64 GiB box
    const gpu = new GpuState(p);
    gpu.ensureLoaded(QWEN);
    gpu.ensureLoaded(HIGH); // 20.4 + 14.3 GB > 24 GB of VRAM: Qwen goes back to RAM
    expect(gpu.isResident(QWEN.key)).toBe(false);
    expect(gpu.isInRam(QWEN.key)).toBe(true);
    expect(gpu.ensureLoaded(QWEN)).toBeCloseTo((QWEN.bytes / p.hostToDeviceBytesPerSec) * 1000, 6);
  });

  it('re-reads a model pushed out of a small RAM from disk, and charges the disk time', () => {
    const p = withHostRam(gpuProfile('rtx4090'), 32 * GiB); // 24 GiB (25.8 GB) left for weights
    const gpu = new GpuState(p);
    const cold = gpu.ensureLoaded(QWEN);
    expect(cold).toBeCloseTo((QWEN.bytes / p.diskBytesPerSec + QWEN.bytes / p.hostToDeviceBytesPerSec) * 1000, 6);
    gpu.ensureLoaded(HIGH); // Qwen offloaded to RAM, then the Wan expert's read pushes it out
    expect(gpu.isInRam(QWEN.key)).toBe(false);
    expect(gpu.ramKeys()).toEqual([HIGH.key]);
    expect(gpu.ensureLoaded(QWEN)).toBeCloseTo(cold, 6);
  });

  it('never caches a file larger than the RAM left for weights', () => {
    const p = withHostRam(gpuProfile('rtx4090'), 16 * GiB); // 8 GiB for weights
    const gpu = new GpuState(p);
    gpu.readFromDisk(HIGH);
    expect(gpu.isInRam(HIGH.key)).toBe(false);
    expect(gpu.readFromDisk(HIGH)).toBeCloseTo((HIGH.bytes / p.diskBytesPerSec) * 1000, 6);
  });

  it('profiles carry host RAM and a disk rate below raw NVMe speed', () => {
    for (const p of Object.values(GPU_PROFILES)) {
      expect(p.hostRamBytes).toBeGreaterThanOrEqual(32 * GiB);
      expect(p.diskBytesPerSec).toBeLessThanOrEqual(2e9);
    }
    expect(GPU_PROFILES.rtx4090.hostRamBytes).toBe(64 * GiB);
  });
});

describe('the router mirrors GpuState, RAM tier included', () => {
  const objectInfo = extendedObjectInfo();
  const tasks = storyWorkload({ shots: 3 });
  const [k1, k2, k3, c1, c2, c3] = tasks;
  const sequence = [k1!, k2!, c1!, c2!, k3!, c3!, k1!, c1!];

  const cases: Array<[GpuProfileId, number | undefined]> = [
    ['rtx4090', undefined],
    ['rtx4090', 32 * GiB],
    ['rtx5090', undefined],
    ['rtx3090', undefined],
    ['a100-80g', undefined],
  ];
  for (const [profile, ram] of cases) {
    it(`predicts the emulator's load time of every task of a sequence on ${profile} (${ram === undefined ? 'default' : ram / GiB} GiB RAM)`, async () => {
      const emulated = new VirtualWorker('w', profile, objectInfo, pool([profile], tasks)[0]!.models, ram);
      let belief: Residency = { resident: [], inRam: [] };
      let rereadMs = 0;
      for (const [i, t] of sequence.entries()) {
        const run = await emulated.run(t.graph, `${t.task.id}-${i}`);
        const plan = applyRun(belief, t.task.models.map((m) => m.file), profile, GPU_PROFILES[profile].vramBytes, ram);
        expect(plan.loadMs).toBeCloseTo(run.loadMs, 3);
        expect(plan.diskMs).toBeCloseTo(run.diskMs, 3);
        expect(plan.loads.length).toBe(run.loads);
        if (i >= 2 && sequence.slice(0, i).some((s) => s.task.templateId === t.task.templateId)) rereadMs += run.diskMs;
        belief = plan;
      }
      // Switching model sets re-reads from disk on a 64 GiB (or smaller) box, never on the A100 server.
      if (profile === 'a100-80g' || profile === 'rtx5090') expect(rereadMs).toBe(0);
      else expect(rereadMs).toBeGreaterThan(5_000);
    });
  }

  it('the estimator charges a queued switch of model set with the disk re-read', async () => {
    const emulated = new VirtualWorker('w', 'rtx4090', objectInfo, pool(['rtx4090'], tasks)[0]!.models);
    for (const [i, t] of [k1!, k2!].entries()) await emulated.run(t.graph, `warm-${i}`);
    const next = await emulated.run(c1!.graph, 'next');
    const queue: QueuedWork[] = [k1!, k2!].map((t) => ({ taskId: t.task.id, templateId: t.task.templateId, models: t.task.models.map((m) => m.file), remainingMs: 30_000 }));
    const view = worker('w', 'rtx4090', [k1!.task, c1!.task], { queue });
    const estimate = new CostEstimator().estimate(c1!.task, view);
    expect(estimate.loadMs).toBeCloseTo(next.loadMs, 3);
    expect(estimate.diskMs).toBeGreaterThan(20_000);
  });

  it('keeps the simulation invariants and the lower bound on small-RAM boxes', async () => {
    const workers = pool(['rtx5090', 'rtx4090'], tasks).map((w) => ({ ...w, hostRamBytes: 32 * GiB }));
    const bound = await lowerBound(tasks, workers, objectInfo);
    const r = await simulate({ tasks, workers, policy: new RouterPolicy(new Router()), objectInfo });
    expect(r.records.map((x) => x.taskId).sort()).toEqual(tasks.map((t) => t.task.id).sort());
    for (const { task } of tasks) {
      const rec = r.records.find((x) => x.taskId === task.id)!;
      for (const dep of task.dependsOn) expect(rec.startedAt).toBeGreaterThanOrEqual(r.records.find((x) => x.taskId === dep)!.finishedAt);
    }
    expect(r.diskMs).toBeGreaterThan(0);
    expect(r.diskMs).toBeLessThanOrEqual(r.loadMs);
    expect(r.makespanMs).toBeGreaterThanOrEqual(bound.lowerBoundMs);
    expect(r.idleWhileReady).toBe(0);
  });
});
