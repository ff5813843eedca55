import { StoryCoreError } from '../../errors/storycore-error.js';

/** `<dataDir>/workers.json` exists but is not a worker list this version can read. */
export class WorkerListFileError extends StoryCoreError {
  readonly file: string;

  constructor(file: string, reason: string, cause?: unknown) {
    super('WORKER_LIST_INVALID', `cannot read the local worker list ${file}: ${reason}`, {
      hint: 'fix or delete the file, then add the workers again with storycore workers add',
      cause,
    });
    this.file = file;
  }
}
