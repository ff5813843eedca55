import { StoryCoreError } from '../../../errors/storycore-error.js';

/** No worker of the pool can run a task; `rejected` says, per worker, why not. */
export class NoFeasibleWorkerError extends StoryCoreError {
  readonly taskId: string;
  readonly rejected: Array<{ worker: string; reasons: string[] }>;

  constructor(taskId: string, templateId: string, rejected: Array<{ worker: string; reasons: string[] }>) {
    const lines = rejected.length === 0 ? ['no workers registered'] : rejected.map((r) => `${r.worker}: ${r.reasons.join('; ')}`);
    super('ROUTER_NO_FEASIBLE_WORKER', `no worker can run task ${taskId} (${templateId}):\n  ${lines.join('\n  ')}`, {
      hint: 'install the missing nodes/models on a worker (`storycore preflight` lists them), add a worker with more VRAM, or pick a low-memory variant',
    });
    this.taskId = taskId;
    this.rejected = rejected;
  }
}
