import { StoryCoreError } from '../../errors/storycore-error.js';
import type { LicenceViolation } from '../licence-policy.js';

/**
 * A commercial project plans to use a model whose licence does not allow it (or is unknown).
 * Raised at plan time, before anything is submitted; the message names each model, its licence
 * and the fix.
 */
export class LicencePolicyError extends StoryCoreError {
  readonly violations: readonly LicenceViolation[];

  constructor(violations: readonly LicenceViolation[]) {
    const lines = violations.map((v) => `- ${v.message}`);
    super('LICENCE_POLICY_VIOLATION', `${violations.length} model${violations.length === 1 ? '' : 's'} cannot be used in a commercial project:\n${lines.join('\n')}`, {
      hint: 'change the templates named above, or set commercial: false if the project is not commercial',
    });
    this.violations = violations;
  }
}
