import { StoryCoreError } from '../../../../errors/storycore-error.js';

/**
 * The model answered, but even after one repair round its answer is not a valid story.
 * `problems` are what was wrong with the last reply; `reply` is that reply, for a bug report.
 */
export class LlmReplyError extends StoryCoreError {
  readonly problems: string[];
  readonly reply: string;
  readonly url: string;

  constructor(url: string, problems: string[], reply: string) {
    const shown = problems.slice(0, 5).map((p) => `  ${p}`);
    const more = problems.length > 5 ? [`  (+${problems.length - 5} more)`] : [];
    super(
      'LLM_INVALID_STORY',
      `the model at ${url} did not return a valid story after a repair round:\n${[...shown, ...more].join('\n')}`,
      { hint: 'use a larger or instruction-tuned model, or plan with the rule planner (planner.kind: rules)' },
    );
    this.problems = problems;
    this.reply = reply;
    this.url = url;
  }
}

export function isLlmReplyError(value: unknown): value is LlmReplyError {
  return value instanceof Error && value.name === 'LlmReplyError';
}
