import type { CostEstimator } from '../router/cost-estimator.js';
import type { Assignment, FinishEstimate, RoutableTask, WorkerView } from '../router/types.js';

export const STRATEGY_NAMES = ['model_affinity', 'best_quality', 'fastest', 'balanced', 'least_memory', 'round_robin'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategyContext {
  estimator: CostEstimator;
  /** Per-strategy state the router keeps across calls (round-robin's cursor). */
  state: Map<string, unknown>;
}

/** The chosen worker, its score (higher is better) and why, in words `explain` can print. */
export interface StrategyPick {
  worker: WorkerView;
  score: number;
  reasons: string[];
  estimate: FinishEstimate;
}

/**
 * How the router chooses a worker. `pick` chooses for one task among workers already known to
 * be able to run it. `plan`, when present, chooses for a whole ready set at once (look-ahead);
 * the router calls it with every healthy worker, how many prompts each can take now, and the
 * tasks not ready yet (waiting for dependencies) so a plan can balance the work still to come.
 */
export interface Strategy {
  readonly name: StrategyName;
  readonly description: string;
  pick(task: RoutableTask, feasible: readonly WorkerView[], context: StrategyContext): StrategyPick;
  plan?(tasks: readonly RoutableTask[], workers: readonly WorkerView[], context: StrategyContext, slots: ReadonlyMap<string, number>, canRun: (task: RoutableTask, worker: WorkerView) => boolean, upcoming: readonly RoutableTask[]): Assignment[];
}

/** Seconds with one decimal, for reasons. */
export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The candidate with the highest score; ties go to the earlier finish, then the name (deterministic). */
export function best(task: RoutableTask, feasible: readonly WorkerView[], context: StrategyContext, score: (w: WorkerView, e: FinishEstimate) => number): { worker: WorkerView; score: number; estimate: FinishEstimate } {
  let top: { worker: WorkerView; score: number; estimate: FinishEstimate } | undefined;
  for (const worker of feasible) {
    const estimate = context.estimator.estimate(task, worker);
    const s = score(worker, estimate);
    if (
      !top ||
      s > top.score + 1e-9 ||
      (Math.abs(s - top.score) <= 1e-9 && (estimate.finishMs < top.estimate.finishMs - 1e-6 || (Math.abs(estimate.finishMs - top.estimate.finishMs) <= 1e-6 && worker.name < top.worker.name)))
    ) {
      top = { worker, score: s, estimate };
    }
  }
  if (!top) throw new Error(`strategy called with no feasible worker for ${task.id}`);
  return top;
}

/** The usual reason line: estimated start, load, run, finish. */
export function timeline(e: FinishEstimate): string {
  return `starts in ${secs(e.startMs)}, loads ${e.loads.length === 0 ? 'nothing (models resident)' : `${e.loads.length} file(s) in ${secs(e.loadMs)}`}, runs ${secs(e.runMs)} (${e.runSource}), finishes in ${secs(e.finishMs)}`;
}
