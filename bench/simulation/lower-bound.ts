import type { ObjectInfo } from '../../src/comfy/object-info/types.js';
import { GPU_PROFILES } from '../../src/catalog/cost/gpu-profiles.js';
import type { SimTask, SimWorkerSpec } from './simulate.js';
import { VirtualWorker } from './virtual-worker.js';

export interface LowerBound {
  /** max(workBoundMs, criticalPathMs): no schedule of this workload on this pool can be shorter. */
  lowerBoundMs: number;
  /**
   * Σ_w s_w · max(0, T − Lmin_w) = W solved for T (see docs/scheduling.md); with later
   * arrivals also, for each arrival time a, a + (work arriving at a or later) / Σ_w s_w.
   */
  workBoundMs: number;
  /** (W + Σ_w s_w · Σ_g L_gw) / Σ_w s_w: every worker loads every model group once (the formula). */
  everyLoadBoundMs: number;
  criticalPathMs: number;
  /** Total work in RTX 4090-ms (run time on a speed-1 GPU, loads excluded). */
  workMs: number;
  capacity: number;
  /** Cold load ms of each model group (template) on each worker. */
  coldLoadMs: Record<string, Record<string, number>>;
  /**
   * Load ms a task of the group pays on the worker even right after another task of its group
   * (a box whose host RAM cannot hold the group re-reads weights on every prompt); part of W.
   */
  warmLoadMs: Record<string, Record<string, number>>;
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
  const warmLoadMs: Record<string, Record<string, number>> = {};
  for (const g of groups) {
    const samples = tasks.filter((t) => t.task.templateId === g).slice(0, 3);
    coldLoadMs[g] = {};
    warmLoadMs[g] = {};
    for (const w of workers) {
      const v = new VirtualWorker(w.name, w.profile, objectInfo, w.models, w.hostRamBytes);
      const runs = [];
      for (const [i, t] of samples.entries()) runs.push((await v.run(t.graph, `sample-${i}`)).loadMs);
      coldLoadMs[g][w.name] = runs[0]!;
      warmLoadMs[g][w.name] = runs.length > 1 ? Math.min(...runs.slice(1)) : 0;
    }
  }
  const speed = (w: SimWorkerSpec) => GPU_PROFILES[w.profile].speed;
  // A task costs its work plus its unavoidable reload, in speed-1 ms, on the worker where that is least.
  const reloadMs = (t: SimTask) => Math.min(...workers.map((w) => speed(w) * warmLoadMs[t.task.templateId]![w.name]!));
  for (const t of tasks) work.set(t.task.id, work.get(t.task.id)! + reloadMs(t));
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
  // Work submitted at `a` or later cannot start before `a`, whatever ran before it.
  const arrival = (id: string) => byId.get(id)!.arrivalMs ?? 0;
  let workBoundMs = hi;
  for (const a of new Set(tasks.map((t) => t.arrivalMs ?? 0))) {
    if (a <= 0) continue;
    const later = tasks.filter((t) => (t.arrivalMs ?? 0) >= a).reduce((sum, t) => sum + work.get(t.task.id)!, 0);
    workBoundMs = Math.max(workBoundMs, a + later / capacity);
  }
  const everyLoadBoundMs = (workMs + workers.reduce((s, w) => s + speed(w) * groups.reduce((x, g) => x + coldLoadMs[g]![w.name]!, 0), 0)) / capacity;
  // Longest dependency chain from its submission: the first task on its best worker (cold when
  // submitted at t = 0, when no worker can hold anything yet), later ones warm on theirs.
  const chainMs = (id: string): number => {
    const t = byId.get(id)!;
    const a = arrival(id);
    const own = Math.min(...workers.map((w) => (a === 0 ? coldLoadMs[t.task.templateId]![w.name]! : 0) + work.get(id)! / speed(w)));
    const deps = t.task.dependsOn.map((d) => chainMs(d));
    return deps.length === 0 ? a + own : Math.max(a, ...deps) + Math.min(...workers.map((w) => work.get(id)! / speed(w)));
  };
  const criticalPathMs = Math.max(...tasks.map((t) => chainMs(t.task.id)));
  return { lowerBoundMs: Math.max(workBoundMs, criticalPathMs), workBoundMs, everyLoadBoundMs, criticalPathMs, workMs, capacity, coldLoadMs, warmLoadMs };
}
