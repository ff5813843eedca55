import type { Precision } from '../../catalog/templates/template.js';
import type { RoutableTask, WorkerView } from './types.js';

export type Feasibility =
  | { ok: true; worker: WorkerView; precision: Precision; needGb: number }
  | { ok: false; worker: WorkerView; reasons: string[] };

const RANK: Record<Precision, number> = { fp32: 4, bf16: 3, fp16: 3, fp8: 2 };
const GB = 1e9;
const gb = (bytes: number): string => `${Number((bytes / GB).toFixed(1))} GB`;

/**
 * Can `worker` run `task`: healthy, every node class and model file present (the checks of
 * preflight's node and model steps, on the inventory, without re-validating the graph), and
 * enough VRAM for some precision of the task's diffusion model (the best one that fits is
 * reported, as `choosePrecision` would pick it). Every failing check gives one reason.
 */
export function feasibility(task: RoutableTask, worker: WorkerView): Feasibility {
  const reasons: string[] = [];
  if (!worker.healthy) reasons.push('unhealthy (failed its last health check)');
  const missingNodes = [...new Set(task.nodeClasses)].filter((c) => !worker.nodeClasses.has(c));
  if (missingNodes.length > 0) reasons.push(`missing node${missingNodes.length > 1 ? 's' : ''} ${missingNodes.join(', ')}`);
  for (const m of task.models) {
    const files = worker.modelFiles[m.folder];
    if (!files?.includes(m.file)) reasons.push(`missing model ${m.folder}/${m.file}`);
  }
  const needs = (Object.entries(task.vramNeedGb) as [Precision, number][]).sort((a, b) => RANK[b[0]] - RANK[a[0]] || a[1] - b[1]);
  const fits = needs.filter(([, need]) => need * GB <= worker.vramTotalBytes);
  const built = task.vramNeedGb[task.precision];
  const asBuilt = built === undefined || built * GB <= worker.vramTotalBytes;
  if (needs.length > 0 && fits.length === 0) {
    const [precision, need] = needs.reduce((a, b) => (b[1] < a[1] ? b : a));
    reasons.push(`needs ${need} GB (${precision}), has ${gb(worker.vramTotalBytes)}`);
  }
  if (reasons.length > 0) return { ok: false, worker, reasons };
  // Prefer the precision the graph was built with when it fits: a rebuild is not free.
  const [precision, needGb] = asBuilt && built !== undefined ? [task.precision, built] : (fits[0] ?? [task.precision, 0]);
  return { ok: true, worker, precision, needGb };
}

/** Splits `workers` into those that can run `task` and those that cannot (with why). */
export function splitFeasible(task: RoutableTask, workers: readonly WorkerView[]): { feasible: WorkerView[]; rejected: Array<{ worker: string; reasons: string[] }> } {
  const feasible: WorkerView[] = [];
  const rejected: Array<{ worker: string; reasons: string[] }> = [];
  for (const w of workers) {
    const f = feasibility(task, w);
    if (f.ok) feasible.push(w);
    else rejected.push({ worker: w.name, reasons: f.reasons });
  }
  return { feasible, rejected };
}
