import type { z } from 'zod';
import { StoryCoreError } from '../../../errors/storycore-error.js';

export interface ParamIssue {
  field: string;
  message: string;
}

/** Parameters given to a template failed its schema; `issues` names each bad field. */
export class TemplateParamsError extends StoryCoreError {
  readonly issues: ParamIssue[];

  constructor(
    readonly templateId: string,
    error: z.ZodError,
  ) {
    const issues = error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(parameters)', message: issue.message }));
    super('TEMPLATE_PARAMS_INVALID', `${templateId}: ${issues.map((i) => `parameter "${i.field}": ${i.message}`).join('; ')}`, {
      hint: `fix the named parameter(s); the schema and defaults are in docs/templates.md under ${templateId}`,
    });
    this.issues = issues;
  }
}
