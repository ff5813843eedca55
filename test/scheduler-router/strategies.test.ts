import { describe, expect, it } from 'vitest';
import { Router } from '../../src/scheduler/router/router.js';
import type { QueuedWork } from '../../src/scheduler/router/types.js';
import { STRATEGY_NAMES } from '../../src/scheduler/strategies/index.js';
import { filesOf, qwen, wan, worker } from './support.js';

const busy = (ms: number, models: string[] = []): QueuedWork[] => [{ taskId: 'other', templateId: 'x', models, remainingMs: ms }];

describe('strategies on crafted pools', () => {
  const task = wan();

  it('fastest takes the fastest GPU even behind a queue', () => {
    const pool = [worker('slow', 'rtx3090', [task]), worker('quick', 'h100', [task], { queue: busy(600_000) })];
    expect(new Router({ strategy: 'fastest' }).pick(task, pool).worker).toBe('quick');
  });

  it('balanced takes the worker with the least queued work', () => {
    const pool = [worker('a', 'h100', [task], { queue: busy(60_000) }), worker('b', 'rtx3090', [task])];
    expect(new Router({ strategy: 'balanced' }).pick(task, pool).worker).toBe('b');
  });

  it('least_memory takes the smallest card that fits', () => {
    const pool = [worker('big', 'a100-80g', [task]), worker('mid', 'l40s', [task]), worker('fits', 'rtx4090', [task])];
    expect(new Router({ strategy: 'least_memory' }).pick(task, pool).worker).toBe('fits');
  });

  it('best_quality takes a card that can run a higher precision', () => {
    // fp16 needs 33.6 GB: more than a 4090's 24 GB, within an L40S's 47.7 GB. The L40S finishes
    // later (slower card), so only the precision can make best_quality take it.
    const pool = [worker('a-small', 'rtx4090', [task]), worker('b-large', 'l40s', [task])];
    expect(task.vramNeedGb.fp16).toBeGreaterThan(pool[0]!.vramTotalBytes / 1e9);
    expect(new Router({ strategy: 'fastest' }).pick(task, pool).worker).toBe('a-small');
    const pick = new Router({ strategy: 'best_quality' }).pick(task, pool);
    expect(pick.worker).toBe('b-large');
    expect(pick.reasons[0]).toContain('fp16');
  });

  it('round_robin cycles through the workers in name order', () => {
    const router = new Router({ strategy: 'round_robin' });
    const pool = [worker('c', 'rtx4090', [task]), worker('a', 'rtx4090', [task]), worker('b', 'rtx4090', [task])];
    expect([1, 2, 3, 4].map(() => router.pick(task, pool).worker)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('every strategy fills only open slots: running + one queued per worker', () => {
    for (const name of STRATEGY_NAMES) {
      const router = new Router({ strategy: name });
      const tasks = Array.from({ length: 6 }, (_, i) => qwen(`k${i}`));
      const pool = [worker('a', 'rtx4090', tasks), worker('b', 'rtx5090', tasks, { queue: busy(10_000) })];
      const { assignments } = router.plan(tasks, pool);
      const per = (w: string) => assignments.filter((a) => a.worker === w).length;
      expect({ name, a: per('a'), b: per('b') }).toEqual({ name, a: 2, b: 1 });
    }
  });
});

describe('model_affinity', () => {
  it('prefers the worker that has the models resident when that finishes first', () => {
    const task = wan();
    // Both Wan experts fit an 80 GB card (a 24 GB one swaps them every clip).
    const pool = [worker('cold', 'a100-80g', [task]), worker('warm', 'a100-80g', [task], { resident: filesOf(task), inRam: filesOf(task) })];
    const pick = new Router().pick(task, pool);
    expect(pick.worker).toBe('warm');
    expect(pick.estimate.loads).toEqual([]);
    expect(pick.reasons[0]).toContain('models resident');
  });

  it('waits behind a short run on the warm worker rather than load elsewhere', () => {
    const task = qwen();
    const pool = [worker('cold', 'rtx4090', [task]), worker('warm', 'rtx4090', [task], { resident: filesOf(task), inRam: filesOf(task), queue: busy(2_000, filesOf(task)) })];
    expect(new Router().pick(task, pool).worker).toBe('warm');
  });

  it('moves to an idle worker when waiting for the warm one costs more than loading', () => {
    const task = qwen();
    const pool = [worker('cold', 'rtx4090', [task]), worker('warm', 'rtx4090', [task], { resident: filesOf(task), inRam: filesOf(task), queue: busy(120_000, filesOf(task)) })];
    const pick = new Router().pick(task, pool);
    expect(pick.worker).toBe('cold');
    expect(pick.estimate.loads.length).toBeGreaterThan(0);
  });

  it('batches same-model tasks onto the worker that holds the model', () => {
    const keys = [qwen('k1'), qwen('k2')];
    const clip = wan('c1');
    const all = [...keys, clip];
    const pool = [
      worker('image', 'rtx4090', all, { resident: filesOf(keys[0]!), inRam: filesOf(keys[0]!) }),
      worker('video', 'rtx3090', all, { resident: filesOf(clip).slice(-1), inRam: filesOf(clip) }),
    ];
    const { assignments } = new Router().plan(keys, pool);
    expect(assignments.map((a) => a.worker)).toEqual(['image', 'image']);
    // A 24 GB card swaps Qwen's encoder and model every prompt, but from RAM, never from disk.
    expect(assignments[1]!.estimate.diskMs).toBe(0);
  });

  it('is work-conserving: an idle worker gets a ready task unless it finishes sooner where planned', () => {
    const tasks = Array.from({ length: 6 }, (_, i) => qwen(`k${i + 1}`));
    const pool = [worker('fast', 'h100', tasks, { queue: busy(5_000) }), worker('idle', 'rtx3090', tasks)];
    const { assignments } = new Router().plan(tasks, pool);
    expect(assignments.some((a) => a.worker === 'idle')).toBe(true);
    expect(assignments.filter((a) => a.worker === 'fast')).toHaveLength(1);
  });

  it('plans upcoming work: slow cards take keyframes while the fast one is kept for clips', () => {
    const keys = Array.from({ length: 4 }, (_, i) => qwen(`k${i}`));
    const clips = keys.map((k, i) => wan(`c${i}`, {}, [k.id]));
    const all = [...keys, ...clips];
    const pool = [worker('h100', 'h100', all), worker('w3090a', 'rtx3090', all), worker('w3090b', 'rtx3090', all)];
    const { assignments } = new Router().plan(keys, pool, clips);
    expect(assignments).toHaveLength(4);
    expect(assignments.filter((a) => a.worker !== 'h100').length).toBeGreaterThanOrEqual(2);
    // Nothing upcoming is ever assigned.
    expect(assignments.every((a) => a.task.templateId === 'qwen-image-t2i')).toBe(true);
  });

});
