import { describe, expect, it } from 'vitest';
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

  it('an open slot still serves an urgent task in the ordinary way (appended, not jumped)', () => {
    const pool = busyPool([30_000, 5_000]);
    const idle = worker('c', 'rtx4090', [qwen('x')]);
    const { assignments } = new Router().plan([{ ...qwen('shot-07'), priority: 10 }], [...pool, idle]);
    expect(assignments).toHaveLength(1);
    expect(assignments[0]!.front).toBeUndefined();
  });
});
