import { describe, expect, it } from 'vitest';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { Router } from '../../src/scheduler/router/router.js';
import { BASELINES } from '../../bench/simulation/baselines.js';
import { lowerBound } from '../../bench/simulation/lower-bound.js';
import { RouterPolicy } from '../../bench/simulation/router-policy.js';
import { simulate, type DispatchPolicy, type SimResult } from '../../bench/simulation/simulate.js';
import { pool, storyWorkload } from '../../bench/simulation/story-workload.js';
import { VirtualWorker } from '../../bench/simulation/virtual-worker.js';
import { STRATEGY_NAMES } from '../../src/scheduler/strategies/index.js';

const objectInfo = extendedObjectInfo();
const tasks = storyWorkload({ shots: 3 });
const workers = pool(['rtx5090', 'rtx4090'], tasks);

function checkInvariants(r: SimResult): void {
  const ids = r.records.map((x) => x.taskId).sort();
  expect(ids).toEqual(tasks.map((t) => t.task.id).sort()); // every task exactly once
  const byId = new Map(r.records.map((x) => [x.taskId, x]));
  for (const { task } of tasks) {
    for (const dep of task.dependsOn) expect(byId.get(task.id)!.startedAt).toBeGreaterThanOrEqual(byId.get(dep)!.finishedAt);
  }
  for (const w of r.perWorker) {
    const mine = r.records.filter((x) => x.worker === w.worker).sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < mine.length; i += 1) expect(mine[i]!.startedAt).toBeGreaterThanOrEqual(mine[i - 1]!.finishedAt); // one at a time
  }
  expect(r.loads).toBe(r.records.reduce((s, x) => s + x.loads, 0));
  expect(r.makespanMs).toBe(Math.max(...r.records.map((x) => x.finishedAt)));
}

describe('scheduler simulation', () => {
  it('charges exactly what the emulator cost model charges: cold loads, then warm reuse', async () => {
    const w = new VirtualWorker('w', 'rtx5090', objectInfo, workers[0]!.models);
    const first = await w.run(tasks[0]!.graph, 'a');
    const second = await w.run(tasks[1]!.graph, 'b');
    expect(first.loads).toBeGreaterThan(0);
    expect(first.loadMs).toBeGreaterThan(10_000); // 30 GB from disk at 1.4 GB/s
    expect(second.loads).toBe(0);
    // Same work less the loads (the shared negative prompt's encode is served from ComfyUI's cache).
    expect(Math.abs(first.totalMs - first.loadMs - second.totalMs) / second.totalMs).toBeLessThan(0.02);
  });

  it('is deterministic', async () => {
    const run = () => simulate({ tasks, workers, policy: new RouterPolicy(new Router()), objectInfo });
    const [a, b] = [await run(), await run()];
    expect(a.records).toEqual(b.records);
  });

  it('holds its invariants for every strategy and baseline; the router never idles a worker while it could run a ready task', async () => {
    const policies: DispatchPolicy[] = [
      ...STRATEGY_NAMES.map((s) => new RouterPolicy(new Router({ strategy: s }))),
      ...Object.values(BASELINES).map((make) => make()),
    ];
    for (const policy of policies) {
      const r = await simulate({ tasks, workers, policy, objectInfo });
      checkInvariants(r);
      if (policy instanceof RouterPolicy && policy.name !== 'model_affinity') expect(r.idleWhileReady).toBe(0);
    }
  });

  it('model_affinity idles a worker only when the task finishes sooner where it is planned', async () => {
    const r = await simulate({ tasks, workers, policy: new RouterPolicy(new Router()), objectInfo });
    checkInvariants(r);
    expect(r.idleWhileReady).toBe(0);
  });

  it('learns durations while it runs', async () => {
    const router = new Router();
    await simulate({ tasks, workers, policy: new RouterPolicy(router), objectInfo });
    const learned = router.timings.list();
    expect(learned.map((e) => `${e.templateId}@${e.worker}`).sort()).toContain('wan22-i2v-14b@rtx5090-1');
    expect(learned.every((e) => e.samples >= 1)).toBe(true);
  });

  it('never beats the lower bound, and one FIFO queue is far behind', async () => {
    const bound = await lowerBound(tasks, workers, objectInfo);
    const ours = await simulate({ tasks, workers, policy: new RouterPolicy(new Router()), objectInfo });
    const fifo = await simulate({ tasks, workers, policy: BASELINES.comfyFifo(), objectInfo });
    expect(bound.lowerBoundMs).toBeGreaterThan(0);
    expect(ours.makespanMs).toBeGreaterThanOrEqual(bound.lowerBoundMs);
    expect(fifo.makespanMs).toBeGreaterThan(ours.makespanMs);
    expect(fifo.perWorker.find((w) => w.worker === 'rtx4090-1')!.tasks).toBe(0);
  });
});
