import { StoryCoreError } from '../../errors/storycore-error.js';

/** `workers remove` of a worker that comes from the config file, which the CLI never edits. */
export class ConfiguredWorkerError extends StoryCoreError {
  readonly worker: string;

  constructor(worker: string, configFile: string | undefined) {
    super('WORKER_IN_CONFIG', `worker '${worker}' is defined in the config file, not in the local worker list`, {
      hint: `delete it from the workers: section of ${configFile ?? 'storycore.config.yaml'}`,
    });
    this.worker = worker;
  }
}
