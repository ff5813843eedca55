import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A graph transform was applied to a template family (or graph shape) it does not support. */
export class IncompatibleTransformError extends StoryCoreError {
  constructor(
    readonly transform: string,
    readonly family: string,
    readonly supported: readonly string[],
    reason?: string,
  ) {
    super('TRANSFORM_INCOMPATIBLE', `${transform} cannot be applied to a ${family} graph${reason ? `: ${reason}` : ''}`, {
      hint: `${transform} supports: ${supported.join(', ')}`,
    });
  }
}
