import { StoryCoreError } from '../../../errors/storycore-error.js';

/** No template has the requested id; `suggestions` are the closest ids. */
export class UnknownTemplateError extends StoryCoreError {
  constructor(
    readonly templateId: string,
    readonly suggestions: readonly string[],
  ) {
    super('TEMPLATE_UNKNOWN', `no workflow template "${templateId}"${suggestions.length ? ` (did you mean ${suggestions.join(', ')}?)` : ''}`, {
      hint: 'storycore templates list shows every template id',
    });
  }
}
