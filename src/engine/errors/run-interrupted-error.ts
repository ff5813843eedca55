import { StoryCoreError } from '../../errors/storycore-error.js';

/** Ctrl-C (or SIGTERM) during generate: what finished is stored, the rest resumes next run. */
export class RunInterruptedError extends StoryCoreError {
  constructor() {
    super('INTERRUPTED_BY_SIGNAL', 'generation was interrupted; finished tasks are stored', {
      hint: 'run the same command again to resume: stored tasks are not run again and prompts still on a worker are re-attached',
    });
  }
}
