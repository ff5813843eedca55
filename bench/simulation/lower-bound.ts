import type { ObjectInfo } from '../../src/comfy/object-info/types.js';
import { GPU_PROFILES } from '../../src/catalog/cost/gpu-profiles.js';
import type { SimTask, SimWorkerSpec } from './simulate.js';
import { VirtualWorker } from './virtual-worker.js';

export interface LowerBound {
  /** max(workBoundMs, criticalPathMs): no schedule of this workload on this pool can be shorter. */
  lowerBoundMs: number;
  /** Σ_w s_w · max(0, T − Lmin_w) = W solved for T (see docs/scheduling.md). */
  workBoundMs: number;
  /** (W + Σ_w s_w · Σ_g L_gw) / Σ_w s_w: every worker loads every model group once (the formula). */
  everyLoadBoundMs: number;
  criticalPathMs: number;
  /** Total work in RTX 4090-ms (run time on a speed-1 GPU, loads excluded). */
  workMs: number;
  capacity: number;
  /** Cold load ms of each model group (template) on each worker. */
  coldLoadMs: Record<string, Record<string, number>>;
}

/**
 * A lower bound on the makespan, from the same cost model the simulation runs: the work of
 * each task is measured once on the emulator's executor (loads excluded, scaled to speed 1:
 * every non-load charge of the cost model is divided by the GPU's speed), and each worker
 * must load at least one model group before it computes anything.
 */
export async function lowerBound(tasks: readonly SimTask[], workers: readonly SimWorkerSpec[], objectInfo: ObjectInfo): Promise<LowerBound> {
  const byId = new Map(tasks.map((t) => [t.task.id, t]));
  const models = Object.assign({}, ...workers.map((w) => w.models)) as Record<string, string[]>;
  const ref = new VirtualWorker('lower-bound', 'a100-80g', objectInfo, models);
  const work = new Map<string, number>();
  for (const t of tasks) {
    const run = await ref.run(t.graph, t.task.id);
    work.set(t.task.id, (run.totalMs - run.loadMs) * GPU_PROFILES['a100-80g'].speed);
  }
  const groups = [...new Set(tasks.map((t) => t.task.templateId))];
  const coldLoadMs: Record<string, Record<string, number>> = {};
  for (const g of groups) {
    const sample = tasks.find((t) => t.task.templateId === g)!;
    coldLoadMs[g] = {};
    for (const w of workers) coldLoadMs[g][w.name] = (await new VirtualWorker(w.name, w.profile, objectInfo, w.models, w.hostRamBytes).run(sample.graph, 'cold')).loadMs;
  }
  const speed = (w: SimWorkerSpec) => GPU_PROFILES[w.profile].speed;
  const workMs = [...work.values()].reduce((a, b) => a + b, 0);
  const capacity = workers.reduce((s, w) => s + speed(w), 0);
  const lmin = (w: SimWorkerSpec) => Math.min(...groups.map((g) => coldLoadMs[g]![w.name]!));
  const done = (T: number) => workers.reduce((s, w) => s + speed(w) * Math.max(0, T - lmin(w)), 0);
  let lo = 0;
  let hi = workMs / Math.min(...workers.map(speed)) + Math.max(...workers.map(lmin));
  for (let i = 0; i < 100; i += 1) {
    const mid = (lo + hi) / 2;
    if (done(mid) >= workMs) hi = mid;
    else lo = mid;
  }
  const everyLoadBoundMs = (workMs + workers.reduce((s, w) => s + speed(w) * groups.reduce((x, g) => x + coldLoadMs[g]![w.name]!, 0), 0)) / capacity;
  // Longest dependency chain: the first task cold on its best worker, later ones warm on theirs.
  const chainMs = (id: string, first: boolean): number => {
    const t = byId.get(id)!;
    const own = Math.min(...workers.map((w) => (first ? coldLoadMs[t.task.templateId]![w.name]! : 0) + work.get(id)! / speed(w)));
    const deps = t.task.dependsOn.map((d) => chainMs(d, first));
    return deps.length === 0 ? own : Math.max(...deps) + Math.min(...workers.map((w) => work.get(id)! / speed(w)));
  };
  const criticalPathMs = Math.max(...tasks.map((t) => chainMs(t.task.id, true)));
  return { lowerBoundMs: Math.max(hi, criticalPathMs), workBoundMs: hi, everyLoadBoundMs, criticalPathMs, workMs, capacity, coldLoadMs };
}
