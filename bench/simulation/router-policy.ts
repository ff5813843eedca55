import type { Router } from '../../src/scheduler/router/router.js';
import { applyRun, type Residency } from '../../src/scheduler/router/residency.js';
import type { RoutableTask, WorkerView } from '../../src/scheduler/router/types.js';
import type { DispatchPolicy, SimView, SimWorkerState, TaskRecord } from './simulate.js';

/**
 * The router as the dispatcher drives it: at every decision point it sees each worker's queue
 * (running + at most one queued), the residency it believes from what it sent there, and its
 * learned timings; after every run it observes the duration (minus the load it predicted).
 */
export class RouterPolicy implements DispatchPolicy {
  readonly name: string;
  private readonly belief = new Map<string, Residency>();
  private readonly predictedLoad = new Map<string, number>();

  constructor(readonly router: Router, name?: string) {
    this.name = name ?? router.strategy.name;
  }

  private viewOf(w: SimWorkerState, view: SimView): WorkerView {
    const base = view.inventory(w);
    const belief = this.belief.get(w.spec.name) ?? { resident: [], inRam: [] };
    return {
      ...base,
      resident: belief.resident,
      inRam: belief.inRam,
      ...(belief.lastRun ? { lastRun: belief.lastRun } : {}),
      queue: w.queue.map((q) => ({
        taskId: q.task.id,
        templateId: q.task.templateId,
        models: q.task.models.map((m) => m.file),
        remainingMs: q.startedAt === undefined ? q.expectedMs : Math.max(0, q.startedAt + q.expectedMs - view.now),
      })),
    };
  }

  dispatch(view: SimView): Array<{ taskId: string; worker: string; expectedMs: number }> {
    const views = view.workers.map((w) => this.viewOf(w, view));
    return this.router.plan(view.ready, views, view.upcoming).assignments.map((a) => ({ taskId: a.task.id, worker: a.worker, expectedMs: a.estimate.loadMs + a.estimate.runMs }));
  }

  started(task: RoutableTask, w: SimWorkerState, view: SimView): void {
    const base = view.inventory(w);
    const plan = applyRun(this.belief.get(w.spec.name) ?? { resident: [], inRam: [] }, task.models.map((m) => m.file), base.profile, base.vramTotalBytes, base.hostRamBytes);
    this.predictedLoad.set(task.id, plan.loadMs);
    this.belief.set(w.spec.name, { resident: plan.resident, inRam: plan.inRam, lastRun: plan.lastRun });
    // The running task's remaining time is re-based on what is predicted now it starts.
    const head = w.queue[0];
    if (head) head.expectedMs = plan.loadMs + this.router.estimator.runMs(task, base).ms;
  }

  finished(record: TaskRecord, task: RoutableTask, w: SimWorkerState, view: SimView): void {
    this.router.observe(task, view.inventory(w), record.finishedAt - record.startedAt, this.predictedLoad.get(task.id) ?? 0);
  }
}
