import { StoryCoreError } from '../../errors/storycore-error.js';

/** A worker name that neither the config nor the local worker list knows. */
export class UnknownWorkerError extends StoryCoreError {
  readonly worker: string;

  constructor(worker: string, known: readonly string[]) {
    super('WORKER_UNKNOWN', `no worker named '${worker}'`, {
      hint: known.length > 0 ? `known workers: ${known.join(', ')} (storycore workers list)` : 'add one with storycore workers add <url>',
    });
    this.worker = worker;
  }
}
