import { StoryCoreError } from '../../../errors/storycore-error.js';

/** One problem in a story file, located and phrased for the person who has to fix it. */
export interface StoryIssue {
  /** The file as the user named it; absent for a story that came from memory (e.g. an LLM reply). */
  file?: string;
  /** 1-based line and column of the offending key or value, when known. */
  line?: number;
  column?: number;
  /** Field path such as `scenes[0].shots[2].camera.size`; empty for the whole document. */
  path: string;
  /** What is wrong. */
  message: string;
  /** What to do about it. */
  hint: string;
}

export type StoryFormatErrorCode = 'STORY_NOT_FOUND' | 'STORY_UNREADABLE' | 'STORY_SYNTAX' | 'STORY_INVALID';

/**
 * A story file cannot be used. Every problem found is in `issues` and in the message, one per
 * line, so a single run tells the user everything to fix. With one problem, the message is that
 * problem and `hint` its fix; with several, each line carries its own fix.
 *
 * @example toOneLine() of one problem:
 * story.yaml:14:7 scenes[0].shots[2].camera.size: 'closeup' is not one of extreme-wide, wide, medium, close-up, extreme-close-up — did you mean 'close-up'?
 */
export class StoryFormatError extends StoryCoreError {
  readonly issues: StoryIssue[];

  constructor(code: StoryFormatErrorCode, issues: StoryIssue[], options: { cause?: unknown } = {}) {
    // One problem: its hint is the error's hint, so the message leaves it out (else it prints twice).
    const message =
      issues.length === 1
        ? formatStoryIssue(issues[0]!, { withHint: false })
        : `${issues.length} problems in ${issues[0]?.file ?? 'the story'}:\n${issues.map((i) => `  ${formatStoryIssue(i)}`).join('\n')}`;
    super(code, message, { hint: issues.length === 1 ? issues[0]!.hint : 'fix each problem listed, then run again', cause: options.cause });
    this.issues = issues;
  }
}

export function isStoryFormatError(value: unknown): value is StoryFormatError {
  return value instanceof Error && value.name === 'StoryFormatError';
}

/** `file:line:column path: problem — fix`, leaving out the parts that are unknown. */
export function formatStoryIssue(issue: StoryIssue, options: { withHint?: boolean } = {}): string {
  const where = issue.file ? [issue.file, issue.line, issue.line !== undefined ? issue.column : undefined].filter((p) => p !== undefined).join(':') : '';
  const head = [where, issue.path ? `${issue.path}:` : ''].filter(Boolean).join(' ');
  const text = `${head ? `${head} ` : ''}${issue.message}`;
  return options.withHint === false ? text : `${text} — ${issue.hint}`;
}
