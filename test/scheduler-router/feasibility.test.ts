import { describe, expect, it } from 'vitest';
import { feasibility, splitFeasible } from '../../src/scheduler/router/feasibility.js';
import { NoFeasibleWorkerError } from '../../src/scheduler/router/errors/no-feasible-worker-error.js';
import { Router } from '../../src/scheduler/router/router.js';
import { qwen, wan, worker } from './support.js';

describe('feasibility', () => {
  const task = wan();

  it('accepts a worker with every node, file and enough VRAM, at the precision the graph was built with', () => {
    const f = feasibility(task, worker('a', 'rtx4090', [task]));
    expect(f.ok).toBe(true);
    if (f.ok) expect(f.precision).toBe('fp8');
  });

  it('names a missing node class', () => {
    const w = worker('a', 'rtx4090', [task]);
    const nodes = new Set([...w.nodeClasses].filter((c) => c !== 'WanImageToVideo'));
    const f = feasibility(task, { ...w, nodeClasses: nodes });
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.reasons).toEqual(['missing node WanImageToVideo']);
  });

  it('names a missing model file with its folder', () => {
    const w = worker('a', 'rtx4090', [task]);
    const f = feasibility(task, { ...w, modelFiles: { ...w.modelFiles, vae: [] } });
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.reasons).toEqual(['missing model vae/wan_2.1_vae.safetensors']);
  });

  it('says how much VRAM the task needs and the worker has', () => {
    const f = feasibility(task, worker('small', 'rtx4090', [task], { vramTotalBytes: 16e9 }));
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.reasons).toEqual(['needs 19.3 GB (fp8), has 16 GB']);
  });

  it('throws a typed error listing every worker and why, when none can run the task', () => {
    const workers = [worker('small', 'rtx4090', [task], { vramTotalBytes: 16e9 }), worker('other', 'rtx4090', [qwen()]), worker('down', 'rtx4090', [task], { healthy: false })];
    expect(splitFeasible(task, workers).feasible).toHaveLength(0);
    let error: unknown;
    try {
      new Router().pick(task, workers);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NoFeasibleWorkerError);
    const e = error as NoFeasibleWorkerError;
    expect(e.code).toBe('ROUTER_NO_FEASIBLE_WORKER');
    expect(e.rejected.map((r) => r.worker)).toEqual(['small', 'other', 'down']);
    expect(e.message).toContain('small: needs 19.3 GB (fp8), has 16 GB');
    expect(e.message).toContain('other: missing nodes');
    expect(e.message).toContain('missing model diffusion_models/wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors');
    expect(e.message).toContain('down: unhealthy');
  });

  it('plan reports unroutable tasks and still routes the rest', () => {
    const router = new Router();
    const ok = qwen('k');
    const plan = router.plan([task, ok], [worker('q', 'rtx4090', [ok])]);
    expect(plan.assignments.map((a) => a.task.id)).toEqual(['k']);
    expect(plan.unroutable.map((e) => e.taskId)).toEqual(['clip-01']);
  });
});
