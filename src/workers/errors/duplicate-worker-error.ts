import { StoryCoreError } from '../../errors/storycore-error.js';

/** `workers add` with a name (or URL) some worker already has: names must be unique. */
export class DuplicateWorkerError extends StoryCoreError {
  readonly field: 'name' | 'url';
  readonly existing: string;

  constructor(field: 'name' | 'url', value: string, existing: string) {
    super(
      'WORKER_DUPLICATE',
      field === 'name' ? `a worker named '${value}' is already registered` : `${value} is already registered as worker '${existing}'`,
      { hint: field === 'name' ? 'pick another --name, or remove the old one with storycore workers remove' : `use the existing worker '${existing}', or remove it first` },
    );
    this.field = field;
    this.existing = existing;
  }
}
