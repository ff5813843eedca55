import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Router } from '../../src/scheduler/router/router.js';
import type { QueuedWork, RoutableTask } from '../../src/scheduler/router/types.js';
import { STRATEGY_NAMES } from '../../src/scheduler/strategies/index.js';
import { filesOf, qwen, worker } from './support.js';

const queued = (t: RoutableTask, remainingMs: number, priority = 0): QueuedWork => ({ taskId: t.id, templateId: t.templateId, models: filesOf(t), remainingMs, priority });

/** Two 4090s, each running a keyframe of the big run with another waiting behind it. */
function busyPool(runningMs: [number, number]) {
  const run = [1, 2, 3, 4].map((i) => qwen(`run-${i}`));
  const all = [...run, qwen('shot-07')];
  return [
    worker('a', 'rtx4090', all, { resident: filesOf(run[0]!), queue: [queued(run[0]!, runningMs[0]), queued(run[1]!, 40_000)] }),
    worker('b', 'rtx4090', all, { resident: filesOf(run[0]!), queue: [queued(run[2]!, runningMs[1]), queued(run[3]!, 40_000)] }),
  ];
}

describe('the priority rule', () => {
  it.each(STRATEGY_NAMES)('%s: a task above the waiting prompts goes to the front of the worker that frees first', (strategy) => {
    const router = new Router({ strategy });
    const urgent = { ...qwen('shot-07'), priority: 10 };
    const { assignments } = router.plan([urgent], busyPool([30_000, 5_000]));
    expect(assignments).toHaveLength(1);
    expect(assignments[0]!.worker).toBe('b');
    expect(assignments[0]!.front).toBe(true);
    // It waits for the running prompt only, not for the one waiting behind it.
    expect(assignments[0]!.estimate.startMs).toBe(5_000);
  });

  it('a task of the same priority as the waiting work waits for a slot like the rest', () => {
    const { assignments } = new Router().plan([qwen('run-5')], busyPool([30_000, 5_000]));
    expect(assignments).toEqual([]);
  });

  it('does not jump a prompt of equal or higher priority already at the front, and takes at most one extra per worker', () => {
    const pool = busyPool([30_000, 5_000]);
    const first = { ...qwen('shot-07'), priority: 10 };
    const second = { ...qwen('shot-08'), priority: 10 };
    const third = { ...qwen('shot-09'), priority: 10 };
    const { assignments } = new Router().plan([first, second, third], pool);
    expect(assignments.map((a) => [a.task.id, a.worker, a.front])).toEqual([
      ['shot-07', 'b', true],
      ['shot-08', 'a', true],
    ]);
    // The next pass, with shot-07 at the front of b: a higher-priority shot still may not pile up there.
    const b = pool[1]!;
    const withJump = { ...b, queue: [b.queue[0]!, queued(first, 40_000, 10), b.queue[1]!] };
    const later = new Router().plan([{ ...qwen('shot-10'), priority: 20 }], [pool[0]!, withJump]);
    expect(later.assignments.map((a) => [a.worker, a.front])).toEqual([['a', true]]);
  });

  it.each(STRATEGY_NAMES)('%s: an open slot goes to the higher-priority task, so nothing needs to jump', (strategy) => {
    const run = qwen('run-1');
    const pool = [worker('a', 'rtx4090', [run], { resident: filesOf(run), queue: [queued(run, 30_000)] })];
    const { assignments } = new Router({ strategy }).plan([qwen('run-2'), { ...qwen('shot-07'), priority: 1 }], pool);
    expect(assignments.map((a) => [a.task.id, a.front ?? false])).toEqual([['shot-07', false]]);
  });

  it('an open slot still serves an urgent task in the ordinary way (appended, not jumped)', () => {
    const pool = busyPool([30_000, 5_000]);
    const idle = worker('c', 'rtx4090', [qwen('x')]);
    const { assignments } = new Router().plan([{ ...qwen('shot-07'), priority: 10 }], [...pool, idle]);
    expect(assignments).toHaveLength(1);
    expect(assignments[0]!.front).toBeUndefined();
  });
});

describe('the priority rule, for any pool state', () => {
  it('never puts a task ahead of waiting work of equal or higher priority, adds at most one prompt per worker beyond the slot rule, and starts a front task after the running prompt only', () => {
    const run = qwen('run');
    const arbWorker = fc.record({
      running: fc.option(fc.integer({ min: 1_000, max: 120_000 }), { nil: undefined }),
      waiting: fc.array(fc.record({ ms: fc.integer({ min: 1_000, max: 120_000 }), priority: fc.integer({ min: -2, max: 12 }) }), { maxLength: 2 }),
      healthy: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbWorker, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: -2, max: 12 }), { minLength: 1, maxLength: 5 }), (specs, priorities) => {
        const ready = priorities.map((p, i) => ({ ...qwen(`t-${i}`), priority: p }));
        const pool = specs.map((s, i) => {
          const queue: QueuedWork[] = s.running === undefined ? [] : [queued({ ...run, id: `run-${i}` }, s.running), ...s.waiting.map((q, k) => queued({ ...run, id: `wait-${i}-${k}` }, q.ms, q.priority))];
          return worker(`w${i}`, 'rtx4090', [run, ...ready], { queue, healthy: s.healthy, resident: filesOf(run) });
        });
        const router = new Router();
        const { assignments } = router.plan(ready, pool);
        const byWorker = new Map<string, number>();
        for (const a of assignments) byWorker.set(a.worker, (byWorker.get(a.worker) ?? 0) + 1);
        for (const w of pool) {
          const added = byWorker.get(w.name) ?? 0;
          expect(added).toBeLessThanOrEqual(router.openSlots(w) + 1);
          if (added > 0) expect(w.healthy).toBe(true);
        }
        for (const a of assignments.filter((x) => x.front)) {
          const w = pool.find((x) => x.name === a.worker)!;
          const [running, ...waiting] = w.queue;
          expect(running).toBeDefined();
          for (const q of waiting) expect(q.priority ?? 0).toBeLessThan(a.task.priority);
          // Nor ahead of what this same plan queued there in the ordinary way.
          for (const o of assignments) if (o.worker === a.worker && !o.front) expect(o.task.priority).toBeLessThan(a.task.priority);
          expect(a.estimate.startMs).toBe(running!.remainingMs);
        }
        // Tasks of the lowest priority in sight never jump.
        const lowest = Math.min(...priorities, ...pool.flatMap((w) => w.queue.slice(1).map((q) => q.priority ?? 0)));
        for (const a of assignments) if (a.task.priority === lowest) expect(a.front).toBeUndefined();
      }),
      { numRuns: 200, seed: 20261208 },
    );
  });
});
