import { StoryCoreError } from '../../errors/storycore-error.js';

/** Tasks had to run but no worker answered within `client.unreachableTimeoutMs`. */
export class NoWorkerReachableError extends StoryCoreError {
  constructor(waitedMs: number, workers: readonly { name: string; url: string; reason: string }[]) {
    const list = workers.map((w) => `${w.name} (${w.url}): ${w.reason}`).join('; ');
    super('WORKER_NONE_REACHABLE', `no worker answered in ${Math.round(waitedMs / 100) / 10} s: ${list}`, {
      hint: 'start ComfyUI on a worker (or check its URL with storycore workers check), or raise client.unreachableTimeoutMs to wait longer',
    });
  }
}
