import { describe, expect, it } from 'vitest';
import { Router } from '../../src/scheduler/router/router.js';
import { filesOf, qwen, worker } from './support.js';

describe('explain', () => {
  it('says who was chosen with start, load, run, finish, and why every other worker was not', () => {
    const task = qwen();
    // An 80 GB card holds the whole Qwen-Image set (a 24 GB one swaps encoder and model every prompt).
    const pool = [
      worker('warm', 'a100-80g', [task], { resident: filesOf(task), inRam: filesOf(task) }),
      worker('cold', 'a100-80g', [task]),
      worker('tiny', 'rtx4090', [task], { vramTotalBytes: 12e9 }),
    ];
    const e = new Router().explain(task, pool);
    expect(e.chosen?.worker).toBe('warm');
    expect(e.others.map((o) => [o.worker, o.verdict])).toEqual([
      ['cold', 'later'],
      ['tiny', 'infeasible'],
    ]);
    const cold = e.others[0]!;
    expect(cold.laterByMs).toBeCloseTo(cold.estimate!.loadMs, 6);
    const lines = e.text.split('\n');
    expect(lines[0]).toBe('task key-01 (qwen-image-t2i) → warm [model_affinity]');
    expect(lines[1]).toMatch(/^ {2}warm: chosen: earliest finish: starts in 0\.0 s, loads nothing \(models resident\), runs (\d+\.\d) s \(catalog\), finishes in \1 s/);
    expect(lines[2]).toMatch(/^ {2}cold: would finish \d+\.\d s later \(starts in 0\.0 s, loads 3 file\(s\) in/);
    expect(lines[3]).toBe('  tiny: cannot run it: needs 23.4 GB (fp8), has 12 GB');
  });

  it('says when no worker can run the task', () => {
    const task = qwen();
    const e = new Router().explain(task, [worker('tiny', 'rtx4090', [task], { vramTotalBytes: 12e9 })]);
    expect(e.chosen).toBeUndefined();
    expect(e.text).toContain('→ no worker');
  });

  it('does not advance round-robin when explaining', () => {
    const task = qwen();
    const router = new Router({ strategy: 'round_robin' });
    const pool = [worker('a', 'rtx4090', [task]), worker('b', 'rtx4090', [task])];
    expect(router.explain(task, pool).chosen?.worker).toBe('a');
    expect(router.explain(task, pool).chosen?.worker).toBe('a');
    expect(router.pick(task, pool).worker).toBe('a');
    expect(router.pick(task, pool).worker).toBe('b');
  });
});
