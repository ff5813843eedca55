import { StoryCoreError } from '../../../errors/storycore-error.js';

/** `planner.kind: llm` without the endpoint it needs. */
export class PlannerNotConfiguredError extends StoryCoreError {
  constructor(missing: string[]) {
    super('PLANNER_NOT_CONFIGURED', `planner.kind is llm but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`, {
      hint: 'set planner.llm.url (e.g. http://127.0.0.1:11434/v1) and planner.llm.model, or use planner.kind: rules',
    });
  }
}
