import type { GpuProfileName } from '../../catalog/templates/template.js';
import { LearnedTimings, type ExpectedDuration } from '../timings/learned-timings.js';
import { applyRun, type Residency } from './residency.js';
import type { FinishEstimate, QueuedWork, RoutableTask, WorkerView } from './types.js';

/**
 * Finish-time estimates: when the worker is free (its queue drained), the model loads the task
 * needs then (residency simulated through the queue), and its run time (learned, else the
 * catalogue's steps × seconds per step for the worker's GPU).
 */
export class CostEstimator {
  constructor(readonly timings: LearnedTimings = new LearnedTimings()) {}

  /** The catalogue's run estimate of `task` on a GPU profile, in ms. */
  priorRunMs(task: RoutableTask, profile: GpuProfileName): number {
    return task.estimate.steps * (task.estimate.secondsPerStep[profile] ?? task.estimate.secondsPerStep.rtx4090) * 1000;
  }

  runMs(task: RoutableTask, worker: WorkerView): ExpectedDuration {
    return this.timings.expected({ templateId: task.templateId, worker: worker.name, bucket: task.bucket }, this.priorRunMs(task, worker.profile));
  }

  /** Residency of `worker` once `queue` (default: its own) has run. */
  residencyAfterQueue(worker: WorkerView, queue: readonly QueuedWork[] = worker.queue): Residency {
    let state: Residency = { resident: [...worker.resident], inRam: [...worker.inRam], ...(worker.lastRun ? { lastRun: [...worker.lastRun] } : {}) };
    for (const q of queue) state = applyRun(state, q.models, worker.profile, worker.vramTotalBytes, worker.hostRamBytes);
    return state;
  }

  /** `task` appended to `worker`'s queue. */
  estimate(task: RoutableTask, worker: WorkerView): FinishEstimate {
    const startMs = worker.queue.reduce((sum, q) => sum + Math.max(0, q.remainingMs), 0);
    return this.estimateFrom(task, worker, this.residencyAfterQueue(worker), startMs).estimate;
  }

  /**
   * `task` on `worker` once it is free at `startMs` with `residency` (what `estimate` computes
   * from the queue; planners that grow queues task by task keep these instead of replaying).
   * Also returns the residency after the task.
   */
  estimateFrom(task: RoutableTask, worker: WorkerView, residency: Residency, startMs: number): { estimate: FinishEstimate; after: Residency } {
    const plan = applyRun(residency, task.models.map((m) => m.file), worker.profile, worker.vramTotalBytes, worker.hostRamBytes);
    const run = this.runMs(task, worker);
    const estimate: FinishEstimate = { startMs, loadMs: plan.loadMs, runMs: run.ms, finishMs: startMs + plan.loadMs + run.ms, loads: plan.loads, diskMs: plan.diskMs, runSource: run.source };
    return { estimate, after: { resident: plan.resident, inRam: plan.inRam, lastRun: plan.lastRun } };
  }

  /** Records a finished run; `totalMs` includes loading, the predicted load is taken off. */
  observe(task: RoutableTask, worker: WorkerView, totalMs: number, predictedLoadMs: number): void {
    this.timings.observe({ templateId: task.templateId, worker: worker.name, bucket: task.bucket }, Math.max(1, totalMs - predictedLoadMs), this.priorRunMs(task, worker.profile));
  }
}
