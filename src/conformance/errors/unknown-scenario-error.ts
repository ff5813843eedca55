import { StoryCoreError } from '../../errors/storycore-error.js';

/** `--scenario` named a scenario that has no script. */
export class UnknownScenarioError extends StoryCoreError {
  constructor(name: string, known: readonly string[]) {
    super('CONFORMANCE_UNKNOWN_SCENARIO', `no conformance scenario "${name}"`, { hint: `use one of: ${known.join(', ')}` });
  }
}
