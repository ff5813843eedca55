import { StoryCoreError } from '../../../errors/storycore-error.js';

/** An input named by the job cannot be read (no path, no resolver, or the file is gone). */
export class InputMissingError extends StoryCoreError {
  constructor(jobId: string, input: string, detail: string) {
    super('DISPATCH_INPUT_MISSING', `job ${jobId}: input "${input}" cannot be read: ${detail}`, {
      hint: 'check that the input file exists and is readable; an input named by its sha256 must be in the project\'s asset store (generate the task that makes it first)',
    });
  }
}
