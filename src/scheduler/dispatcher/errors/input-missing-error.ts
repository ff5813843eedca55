import { StoryCoreError } from '../../../errors/storycore-error.js';

/** An input named by the job cannot be read (no path, no resolver, or the file is gone). */
export class InputMissingError extends StoryCoreError {
  constructor(jobId: string, input: string, detail: string) {
    super('DISPATCH_INPUT_MISSING', `job ${jobId}: input "${input}" cannot be read: ${detail}`, {
      hint: 'give the input a readable path, or pass resolveInput to the dispatcher so it can find a sha256 in the asset store',
    });
  }
}
