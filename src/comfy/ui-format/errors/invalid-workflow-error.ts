import { StoryCoreError } from '../../../errors/storycore-error.js';

/** The JSON is not an editor workflow this converter can read. */
export class InvalidWorkflowError extends StoryCoreError {
  readonly issues: string[];

  constructor(message: string, issues: string[] = [], cause?: unknown) {
    super('WORKFLOW_INVALID', message, {
      hint: 'save the workflow again from the ComfyUI editor (Workflow → Save) or export it in API format',
      cause,
    });
    this.issues = issues;
  }
}
