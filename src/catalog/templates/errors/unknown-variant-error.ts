import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A template was asked for a variant it does not have. */
export class UnknownVariantError extends StoryCoreError {
  constructor(
    readonly templateId: string,
    readonly variantId: string,
    readonly available: readonly string[],
  ) {
    super('TEMPLATE_UNKNOWN_VARIANT', `${templateId} has no variant "${variantId}"`, {
      hint: available.length ? `use one of: ${available.join(', ')}` : `${templateId} has no variants`,
    });
  }
}
