import { describe, expect, it } from 'vitest';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { Router } from '../../src/scheduler/router/router.js';
import { BASELINES } from '../../bench/simulation/baselines.js';
import { lowerBound } from '../../bench/simulation/lower-bound.js';
import { priorityWaits } from '../../bench/simulation/priority-wait.js';
import { RouterPolicy } from '../../bench/simulation/router-policy.js';
import { simulate, type DispatchPolicy } from '../../bench/simulation/simulate.js';
import { pool, storyWorkload } from '../../bench/simulation/story-workload.js';
import { keyframeBurst, KEYFRAME_MODELS, regeneratedShot, threeProjects } from '../../bench/simulation/workloads.js';

const objectInfo = extendedObjectInfo();
const MINUTE = 60_000;
const baselines = (): DispatchPolicy[] => Object.values(BASELINES).map((make) => make());

describe('scheduler bench workloads', () => {
  it('(b) is three projects 10 minutes apart with three keyframe models on the six GPUs of the issue', () => {
    const b = threeProjects(2);
    expect(b.workers.map((w) => `${w.profile}:${(w.hostRamBytes ?? 0) / 1024 ** 3}`)).toEqual(['rtx4090:64', 'rtx4090:64', 'rtx5090:0', 'rtx5090:0', 'a100-80g:0', 'l40s:0']);
    const firstOf = (template: string) => b.tasks.find((t) => t.task.templateId === template)!.arrivalMs ?? 0;
    expect([firstOf('qwen-image-t2i'), firstOf('sdxl-t2i'), firstOf('newbie-anime')]).toEqual([0, 10 * MINUTE, 20 * MINUTE]);
    expect(b.tasks.filter((t) => t.task.templateId === 'wan22-i2v-14b')).toHaveLength(6);
  });

  it('a task submitted later never starts before it is submitted, and the lower bound counts that', async () => {
    const tasks = storyWorkload({ shots: 2, arrivalMs: 10 * MINUTE });
    const workers = pool(['rtx5090'], tasks);
    const bound = await lowerBound(tasks, workers, objectInfo);
    const r = await simulate({ tasks, workers, policy: new RouterPolicy(new Router()), objectInfo });
    expect(Math.min(...r.records.map((x) => x.startedAt))).toBe(10 * MINUTE);
    expect(bound.lowerBoundMs).toBeGreaterThan(10 * MINUTE);
    expect(r.makespanMs).toBeGreaterThanOrEqual(bound.lowerBoundMs);
  });

  it('a shot regenerated at a higher priority during a run waits only for the prompt running on its worker', async () => {
    const tasks = [...storyWorkload({ shots: 6, keyframe: KEYFRAME_MODELS['qwen-image'], prefix: 'qwen/' }), ...storyWorkload({ shots: 6, keyframe: KEYFRAME_MODELS.sdxl, prefix: 'sdxl/', arrivalMs: 2 * MINUTE })];
    const shot = regeneratedShot(10 * MINUTE);
    const workers = pool(['rtx5090', 'rtx4090'], [...tasks, ...shot]);
    const ids = shot.map((t) => t.task.id);
    const ours = priorityWaits(await simulate({ tasks: [...tasks, ...shot], workers, policy: new RouterPolicy(new Router()), objectInfo }), ids);
    for (const w of ours) {
      expect(w.promptsAhead).toBe(0);
      expect(w.waitMs).toBeLessThanOrEqual(w.runningRemainingMs + 1e-6);
    }
    // Without the rule the shot queues behind the run (the workload is one where it matters).
    const fifo = priorityWaits(await simulate({ tasks: [...tasks, ...shot], workers, policy: BASELINES.firstIdle(), objectInfo }), ids);
    expect(fifo.some((w) => w.promptsAhead > 0)).toBe(true);
  });

  it('(c) in small: on a burst across four image models model_affinity keeps models together and leads every baseline by 1.3x', async () => {
    const burst = keyframeBurst(40);
    const bound = await lowerBound(burst.tasks, burst.workers, objectInfo);
    const ours = await simulate({ tasks: burst.tasks, workers: burst.workers, policy: new RouterPolicy(new Router()), objectInfo });
    expect(ours.makespanMs).toBeGreaterThanOrEqual(bound.lowerBoundMs);
    for (const policy of baselines()) {
      const r = await simulate({ tasks: burst.tasks, workers: burst.workers, policy, objectInfo });
      expect(r.makespanMs / ours.makespanMs, policy.name).toBeGreaterThanOrEqual(1.3);
    }
  });
});
