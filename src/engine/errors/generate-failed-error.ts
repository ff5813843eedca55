import { StoryCoreError } from '../../errors/storycore-error.js';

/** Some tasks of a story failed for good; the others' assets are stored and a re-run resumes. */
export class GenerateFailedError extends StoryCoreError {
  readonly failures: readonly { task: string; code: string; message: string }[];

  constructor(failures: readonly { task: string; code: string; message: string }[]) {
    const first = failures[0];
    super('GENERATE_FAILED', `${failures.length} task${failures.length === 1 ? '' : 's'} failed; first: ${first?.task}: ${first?.message ?? 'unknown error'}`, {
      hint: 'fix the cause named above and run generate again: finished tasks are kept and not run again',
    });
    this.failures = failures;
  }
}
