import { timeline } from '../strategies/strategy.js';
import type { CostEstimator } from './cost-estimator.js';
import type { Assignment, QueuedWork, RoutableTask, WorkerView } from './types.js';

export interface JumpOptions {
  estimator: CostEstimator;
  /** Open slots left per worker after the strategy's assignments. */
  slots: Map<string, number>;
  /** Prompts allowed behind the running one by the slot rule (the router's `maxQueuedBehindRunning`). */
  maxQueuedBehindRunning: number;
  canRun: (task: RoutableTask, worker: WorkerView) => boolean;
  /** Priorities of the other work in sight (ready, upcoming): a task outranks work only above the lowest. */
  otherPriorities: readonly number[];
}

const priorityOf = (q: QueuedWork): number => q.priority ?? 0;

/**
 * The priority rule. A ready task left without a slot whose priority is above work already
 * waiting on a worker (queued behind that worker's running prompt) goes to the front of that
 * worker's queue: it starts as soon as the running prompt ends, never behind the lower-priority
 * prompts waiting there. Among those workers and any with a slot still open, it takes the one
 * where it finishes earliest. One such prompt per worker beyond the slot rule, so a burst of
 * urgent tasks cannot pile up on one GPU; tasks of equal priority never jump each other.
 *
 * `workers` carry the strategy's assignments in their queues; they are updated in place.
 */
export function priorityJumps(left: readonly RoutableTask[], workers: Map<string, WorkerView & { queue: QueuedWork[] }>, o: JumpOptions): Assignment[] {
  const waitingPriorities = [...workers.values()].flatMap((w) => w.queue.slice(1).map(priorityOf));
  const floor = Math.min(...o.otherPriorities, ...left.map((t) => t.priority), ...waitingPriorities);
  const out: Assignment[] = [];
  const urgent = left.filter((t) => t.priority > floor).sort((a, b) => b.priority - a.priority);
  for (const task of urgent) {
    let best: { worker: WorkerView & { queue: QueuedWork[] }; front: boolean; estimate: ReturnType<CostEstimator['estimate']> } | undefined;
    for (const worker of workers.values()) {
      if (!worker.healthy || !o.canRun(task, worker)) continue;
      const [running, ...waiting] = worker.queue;
      const open = (o.slots.get(worker.name) ?? 0) > 0;
      const front = running !== undefined && waiting.length > 0 && waiting.length <= o.maxQueuedBehindRunning && waiting.every((q) => priorityOf(q) < task.priority);
      if (!open && !front) continue;
      const estimate = o.estimator.estimate(task, front ? { ...worker, queue: [running!] } : worker);
      if (!best || estimate.finishMs < best.estimate.finishMs - 1e-6) best = { worker, front, estimate };
    }
    if (!best) continue;
    const { worker, front, estimate } = best;
    const work: QueuedWork = { taskId: task.id, templateId: task.templateId, models: task.models.map((m) => m.file), remainingMs: estimate.loadMs + estimate.runMs, priority: task.priority };
    if (front) worker.queue.splice(1, 0, work);
    else worker.queue.push(work);
    if ((o.slots.get(worker.name) ?? 0) > 0) o.slots.set(worker.name, (o.slots.get(worker.name) ?? 0) - 1);
    const reason = front ? `priority ${task.priority} outranks the prompts waiting on ${worker.name}: runs next, after the running one` : `priority ${task.priority}: the earliest open slot`;
    out.push({ task, worker: worker.name, estimate, score: -estimate.finishMs, reasons: [reason, timeline(estimate)], ...(front ? { front: true } : {}) });
  }
  return out;
}
