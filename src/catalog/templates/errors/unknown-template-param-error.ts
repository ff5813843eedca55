import { closestMatch } from '../../../platform/did-you-mean.js';
import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A template was given a parameter it does not have (a typo would otherwise be silently ignored). */
export class UnknownTemplateParamError extends StoryCoreError {
  constructor(
    readonly templateId: string,
    readonly names: readonly string[],
    readonly known: readonly string[],
  ) {
    const suggestions = names.map((name) => [name, closestMatch(name, known)] as const).filter(([, near]) => near !== undefined);
    const didYouMean = suggestions.map(([name, near]) => `"${near}" for "${name}"`).join(', ');
    super('TEMPLATE_PARAM_UNKNOWN', `${templateId} has no parameter ${names.map((n) => `"${n}"`).join(', ')}`, {
      hint: `${didYouMean ? `did you mean ${didYouMean}? ` : ''}its parameters are ${known.join(', ')} (storycore templates show ${templateId})`,
    });
  }
}
