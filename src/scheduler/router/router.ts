import { STRATEGIES, DEFAULT_STRATEGY, secs, type Strategy, type StrategyContext, type StrategyName } from '../strategies/index.js';
import { LearnedTimings } from '../timings/learned-timings.js';
import { CostEstimator } from './cost-estimator.js';
import { NoFeasibleWorkerError } from './errors/no-feasible-worker-error.js';
import { renderExplanation, type Explanation, type WorkerVerdict } from './explain.js';
import { feasibility, splitFeasible } from './feasibility.js';
import { priorityJumps } from './priority-jump.js';
import type { Assignment, QueuedWork, RoutableTask, WorkerView } from './types.js';

export interface RouterOptions {
  /** Default `model_affinity`. */
  strategy?: StrategyName | Strategy;
  timings?: LearnedTimings;
  /**
   * Prompts the dispatcher lets wait behind the running one on each worker (default 1): the
   * router never hands a worker more than running + this many.
   */
  maxQueuedBehindRunning?: number;
}

export interface RoutePlan {
  assignments: Assignment[];
  /** Ready tasks no worker of the pool can run, each with its per-worker reasons. */
  unroutable: NoFeasibleWorkerError[];
}

/**
 * Which worker gets which task. `plan` is what the dispatcher calls whenever a task becomes
 * ready or a worker frees: it fills every open slot (work-conserving) from the ready set, with
 * the strategy's look-ahead when it has one. `pick` and `explain` answer for one task.
 *
 * @example
 *   const router = new Router({ timings: LearnedTimings.open('.storycore/timings.json') });
 *   const { assignments } = router.plan(readyTasks, workerViews);
 */
export class Router {
  readonly strategy: Strategy;
  readonly estimator: CostEstimator;
  readonly maxQueuedBehindRunning: number;
  private readonly state = new Map<string, unknown>();

  constructor(options: RouterOptions = {}) {
    const s = options.strategy ?? DEFAULT_STRATEGY;
    this.strategy = typeof s === 'string' ? STRATEGIES[s] : s;
    this.estimator = new CostEstimator(options.timings ?? new LearnedTimings());
    this.maxQueuedBehindRunning = options.maxQueuedBehindRunning ?? 1;
  }

  get timings(): LearnedTimings {
    return this.estimator.timings;
  }

  private get context(): StrategyContext {
    return { estimator: this.estimator, state: this.state };
  }

  /** The worker for one task among all `workers`; throws `NoFeasibleWorkerError` when none can run it. */
  pick(task: RoutableTask, workers: readonly WorkerView[]): Assignment {
    const { feasible, rejected } = splitFeasible(task, workers);
    if (feasible.length === 0) throw new NoFeasibleWorkerError(task.id, task.templateId, rejected);
    const p = this.strategy.pick(task, feasible, this.context);
    return { task, worker: p.worker.name, estimate: p.estimate, score: p.score, reasons: p.reasons };
  }

  /** Prompts `worker` can take now under the dispatcher's rule (0 when unhealthy). */
  openSlots(worker: WorkerView): number {
    return worker.healthy ? Math.max(0, 1 + this.maxQueuedBehindRunning - worker.queue.length) : 0;
  }

  /**
   * Assigns ready tasks to open slots of the pool; tasks left over wait for the next call.
   * `upcoming` are tasks still waiting for dependencies: look-ahead strategies plan them too
   * (to balance what is to come) but only ready tasks are ever assigned. Then the priority
   * rule (`priorityJumps`): a task left over that outranks the prompts waiting on a worker goes
   * to the front of that worker's queue (`front: true`), to run when its running prompt ends.
   */
  plan(ready: readonly RoutableTask[], workers: readonly WorkerView[], upcoming: readonly RoutableTask[] = []): RoutePlan {
    const unroutable: NoFeasibleWorkerError[] = [];
    const routable: RoutableTask[] = [];
    for (const task of ready) {
      const { feasible, rejected } = splitFeasible(task, workers);
      if (feasible.length === 0) unroutable.push(new NoFeasibleWorkerError(task.id, task.templateId, rejected));
      else routable.push(task);
    }
    if (routable.length === 0) return { assignments: [], unroutable };
    const slots = new Map(workers.map((w) => [w.name, this.openSlots(w)]));
    const canRun = (task: RoutableTask, worker: WorkerView) => feasibility(task, worker).ok;
    const assignments = this.fillSlots(routable, workers, slots, canRun, upcoming);

    const working = new Map(workers.map((w) => [w.name, { ...w, queue: [...w.queue] as QueuedWork[] }]));
    for (const a of assignments) {
      working.get(a.worker)!.queue.push({ taskId: a.task.id, templateId: a.task.templateId, models: a.task.models.map((m) => m.file), remainingMs: a.estimate.loadMs + a.estimate.runMs, priority: a.task.priority });
      slots.set(a.worker, (slots.get(a.worker) ?? 0) - 1);
    }
    const assigned = new Set(assignments.map((a) => a.task.id));
    const left = routable.filter((t) => !assigned.has(t.id));
    const otherPriorities = [...routable, ...upcoming].map((t) => t.priority);
    assignments.push(...priorityJumps(left, working, { estimator: this.estimator, slots, maxQueuedBehindRunning: this.maxQueuedBehindRunning, canRun, otherPriorities }));
    return { assignments, unroutable };
  }

  /** The strategy's assignments to open slots (its look-ahead plan, else one task at a time by priority). */
  private fillSlots(routable: readonly RoutableTask[], workers: readonly WorkerView[], slots: ReadonlyMap<string, number>, canRun: (task: RoutableTask, worker: WorkerView) => boolean, upcoming: readonly RoutableTask[]): Assignment[] {
    const open = workers.filter((w) => (slots.get(w.name) ?? 0) > 0);
    if (open.length === 0) return [];
    if (this.strategy.plan) {
      const healthy = workers.filter((w) => w.healthy);
      const future = upcoming.filter((t) => healthy.some((w) => canRun(t, w)));
      return this.strategy.plan(routable, healthy, this.context, slots, canRun, future);
    }

    // One task at a time, highest priority first (stable: ready order within a priority).
    const left = new Map(slots);
    const working = new Map(open.map((w) => [w.name, { ...w, queue: [...w.queue] as QueuedWork[] }]));
    const assignments: Assignment[] = [];
    const order = routable.map((t, i) => ({ t, i })).sort((a, b) => b.t.priority - a.t.priority || a.i - b.i);
    for (const { t: task } of order) {
      const candidates = [...working.values()].filter((w) => (left.get(w.name) ?? 0) > 0 && canRun(task, w));
      if (candidates.length === 0) continue;
      const p = this.strategy.pick(task, candidates, this.context);
      assignments.push({ task, worker: p.worker.name, estimate: p.estimate, score: p.score, reasons: p.reasons });
      working.get(p.worker.name)!.queue.push({ taskId: task.id, templateId: task.templateId, models: task.models.map((m) => m.file), remainingMs: p.estimate.loadMs + p.estimate.runMs, priority: task.priority });
      left.set(p.worker.name, (left.get(p.worker.name) ?? 0) - 1);
    }
    return assignments;
  }

  /** Records a finished run so later estimates use what this worker really takes. */
  observe(task: RoutableTask, worker: WorkerView, totalMs: number, predictedLoadMs: number): void {
    this.estimator.observe(task, worker, totalMs, predictedLoadMs);
  }

  /**
   * Which worker the strategy would choose for `task` now and why (estimated start, load, run,
   * finish), and for every other worker why not: what it lacks, or how much later it finishes.
   */
  explain(task: RoutableTask, workers: readonly WorkerView[]): Explanation {
    const { feasible, rejected } = splitFeasible(task, workers);
    const others: WorkerVerdict[] = rejected.map((r) => ({ worker: r.worker, verdict: 'infeasible', reasons: r.reasons }));
    let chosen: WorkerVerdict | undefined;
    if (feasible.length > 0) {
      // A copy of the state: explaining must not advance round-robin's cursor.
      const p = this.strategy.pick(task, feasible, { estimator: this.estimator, state: new Map(this.state) });
      chosen = { worker: p.worker.name, verdict: 'chosen', reasons: p.reasons, estimate: p.estimate };
      for (const w of feasible) {
        if (w.name === p.worker.name) continue;
        const e = this.estimator.estimate(task, w);
        const laterByMs = e.finishMs - p.estimate.finishMs;
        if (laterByMs >= 0) others.push({ worker: w.name, verdict: 'later', reasons: [], estimate: e, laterByMs });
        else others.push({ worker: w.name, verdict: 'ranked-lower', estimate: e, reasons: [`would finish ${secs(-laterByMs)} sooner, but ${this.strategy.name} ranks by ${this.strategy.description}`] });
      }
    }
    const order = (v: WorkerVerdict) => (v.verdict === 'infeasible' ? Number.POSITIVE_INFINITY : (v.laterByMs ?? 0));
    others.sort((a, b) => order(a) - order(b) || a.worker.localeCompare(b.worker));
    const body = { taskId: task.id, templateId: task.templateId, strategy: this.strategy.name, ...(chosen ? { chosen } : {}), others };
    return { ...body, text: renderExplanation(body) };
  }
}
