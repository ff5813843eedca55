import type { Residency } from '../router/residency.js';
import type { Assignment, FinishEstimate, QueuedWork, RoutableTask, WorkerView } from '../router/types.js';
import { secs, timeline, type Strategy, type StrategyContext } from './strategy.js';

interface Candidate {
  task: RoutableTask;
  worker: WorkerView;
  estimate: FinishEstimate;
}

/** Lexicographic comparison of two release ranks. */
function outranks(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/** Earlier finish wins; then fewer loads (keep models where they are); then name, for determinism. */
function better(a: Candidate, b: Candidate | undefined): boolean {
  if (!b) return true;
  if (a.estimate.finishMs < b.estimate.finishMs - 1e-6) return true;
  if (a.estimate.finishMs > b.estimate.finishMs + 1e-6) return false;
  if (a.estimate.loads.length !== b.estimate.loads.length) return a.estimate.loads.length < b.estimate.loads.length;
  return a.worker.name < b.worker.name || (a.worker.name === b.worker.name && a.task.id < b.task.id);
}

function runnerUp(task: RoutableTask, winner: WorkerView, workers: readonly WorkerView[], context: StrategyContext, finishMs: number): string | undefined {
  let second: { name: string; finishMs: number } | undefined;
  for (const w of workers) {
    if (w.name === winner.name) continue;
    const e = context.estimator.estimate(task, w);
    if (!second || e.finishMs < second.finishMs) second = { name: w.name, finishMs: e.finishMs };
  }
  return second ? `next best ${second.name} would finish ${secs(second.finishMs - finishMs)} later` : undefined;
}

/**
 * The default: earliest estimated finish, counting the time until the worker is free, the
 * model loads it would need then (resident models are free, a missing one costs its disk read
 * and PCIe copy, evicting LRU), and its run time for this template (learned, else estimated).
 *
 * `plan` looks ahead over all remaining work (see the comments inside and docs/scheduling.md):
 * it balances every task still to run onto the workers longest-first by earliest finish, which
 * groups same-model tasks on workers that hold the model in numbers proportional to speed, then
 * fills open slots from the ready set following that plan, stealing only what finishes sooner.
 */
export const modelAffinity: Strategy = {
  name: 'model_affinity',
  description: 'earliest finish counting queue, model loads (resident = free) and learned speed; plans the ready set at once',
  pick(task, feasible, context) {
    let top: Candidate | undefined;
    for (const worker of feasible) {
      const c = { task, worker, estimate: context.estimator.estimate(task, worker) };
      if (better(c, top)) top = c;
    }
    if (!top) throw new Error(`model_affinity called with no feasible worker for ${task.id}`);
    const other = runnerUp(task, top.worker, feasible, context, top.estimate.finishMs);
    return {
      worker: top.worker,
      score: -top.estimate.finishMs,
      estimate: top.estimate,
      reasons: [`earliest finish: ${timeline(top.estimate)}`, ...(other ? [other] : [])],
    };
  },
  plan(tasks, workers, context, slots, canRun, upcoming) {
    // 1. Balance: every task still to run (ready and upcoming), longest first, onto the worker
    //    where it finishes earliest (virtual queues, residency and loads simulated): how many
    //    tasks of each model each worker should take, proportional to its speed. Earliest
    //    finish spreads every model over every worker that frees up, each paying its cold
    //    load; a second, compact pass keeps a model on the workers that already hold it
    //    while they still end within the first plan's makespan, and wins when it ends sooner.
    const longest = (t: RoutableTask) => Math.min(...workers.filter((w) => canRun(t, w)).map((w) => context.estimator.runMs(t, w).ms));
    const all = [...tasks, ...upcoming].map((t, i) => ({ t, i, ms: longest(t) }));
    all.sort((a, b) => b.t.priority - a.t.priority || b.ms - a.ms || a.i - b.i);
    const balance = (cap?: number) => {
      // Each worker's planned queue as its end time and residency, grown task by task.
      const tail = new Map(workers.map((w) => [w.name, { startMs: w.queue.reduce((sum, q) => sum + Math.max(0, q.remainingMs), 0), residency: context.estimator.residencyAfterQueue(w), templates: new Set(w.queue.map((q) => q.templateId)) }]));
      const planned = new Map<string, Candidate>();
      let makespan = 0;
      for (const { t: task } of all) {
        let chosen: (Candidate & { after: Residency }) | undefined;
        let held: (Candidate & { after: Residency }) | undefined;
        for (const worker of workers) {
          if (!canRun(task, worker)) continue;
          const at = tail.get(worker.name)!;
          const { estimate, after } = context.estimator.estimateFrom(task, worker, at.residency, at.startMs);
          const c = { task, worker, estimate, after };
          if (better(c, chosen)) chosen = c;
          const holds = at.templates.has(task.templateId) || task.models.every((m) => at.residency.resident.includes(m.file));
          if (cap !== undefined && estimate.finishMs <= cap && holds && better(c, held)) held = c;
        }
        chosen = held ?? chosen;
        if (!chosen) continue;
        planned.set(task.id, chosen);
        makespan = Math.max(makespan, chosen.estimate.finishMs);
        const at = tail.get(chosen.worker.name)!;
        at.startMs = chosen.estimate.finishMs;
        at.residency = chosen.after;
        at.templates.add(task.templateId);
      }
      return { planned, makespan };
    };
    const spread = balance();
    const compact = balance(spread.makespan);
    const plannedOn = compact.makespan < spread.makespan ? compact.planned : spread.planned;
    // 2. Release, filling open slots (earliest-free worker first) from the ready set: a task
    //    planned on the worker (higher priority first, then tasks that unblock others, then
    //    those needing no load, then the longest); else (work-conserving) a ready task that finishes sooner here than
    //    where it is planned (waiting would cost more).
    const unblocks = new Set(upcoming.flatMap((t) => t.dependsOn));
    const left = new Map(slots);
    const state = new Map(workers.map((w) => [w.name, { ...w, queue: [...w.queue] as QueuedWork[] }]));
    let pending = [...tasks];
    const out: Assignment[] = [];
    const order = [...workers].sort((a, b) => context.estimator.estimate(tasks[0]!, a).startMs - context.estimator.estimate(tasks[0]!, b).startMs || a.name.localeCompare(b.name));
    let progress = true;
    while (progress && pending.length > 0) {
      progress = false;
      for (const w of order) {
        if ((left.get(w.name) ?? 0) <= 0) continue;
        const here = state.get(w.name)!;
        let pick: { task: RoutableTask; estimate: FinishEstimate; rank: number[] } | undefined;
        for (const task of pending) {
          if (!canRun(task, here)) continue;
          const estimate = context.estimator.estimate(task, here);
          const plan = plannedOn.get(task.id);
          const mine = plan?.worker.name === w.name;
          const gain = plan ? plan.estimate.finishMs - estimate.finishMs : Number.POSITIVE_INFINITY;
          if (!mine && !(gain > 1)) continue;
          // Planned here beats stolen; then higher priority; unblocking beats not; no load (its
          // models resident) beats a load, so a worker finishes one model's tasks before
          // switching; then the longest first, as the plan was balanced, so short tasks are left
          // to even out the end.
          const rank = [mine ? 1 : 0, task.priority, unblocks.has(task.id) ? 1 : 0, estimate.loads.length === 0 ? 1 : 0, estimate.runMs];
          if (!pick || outranks(rank, pick.rank)) pick = { task, estimate, rank };
        }
        if (!pick) continue;
        const { task, estimate } = pick;
        const other = runnerUp(task, here, workers.filter((x) => canRun(task, x)), context, estimate.finishMs);
        out.push({ task, worker: w.name, estimate, score: -estimate.finishMs, reasons: [`earliest finish in the plan of all remaining work: ${timeline(estimate)}`, ...(other ? [other] : [])] });
        here.queue.push({ taskId: task.id, templateId: task.templateId, models: task.models.map((m) => m.file), remainingMs: estimate.loadMs + estimate.runMs });
        left.set(w.name, (left.get(w.name) ?? 0) - 1);
        pending = pending.filter((t) => t !== task);
        progress = true;
      }
    }
    return out;
  },
};
