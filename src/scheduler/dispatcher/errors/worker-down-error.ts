import { StoryCoreError } from '../../../errors/storycore-error.js';

/** The health monitor marked the worker down while the job's prompt was on it. */
export class WorkerDownError extends StoryCoreError {
  readonly worker: string;

  constructor(worker: string, reason: string) {
    super('DISPATCH_WORKER_DOWN', `worker ${worker} was marked down mid-job (${reason})`, {
      hint: 'the job moves to another worker; check the worker (is ComfyUI running and reachable?)',
    });
    this.worker = worker;
  }
}
