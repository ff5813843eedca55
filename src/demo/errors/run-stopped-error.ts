import { StoryCoreError } from '../../errors/storycore-error.js';

/** The user stopped a run (Ctrl-C); the job on the worker was cancelled. */
export class RunStoppedError extends StoryCoreError {
  constructor(promptId: string | undefined) {
    super('INTERRUPTED_BY_SIGNAL', `stopped${promptId ? `; prompt ${promptId} was cancelled on the worker` : ''}`, {
      hint: 'run the command again to start over',
    });
  }
}
