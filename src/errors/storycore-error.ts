/**
 * Base class of every error StoryCore raises on purpose.
 *
 * `code` is stable (scripts and the failure policy branch on it), `message` says what went
 * wrong in one line, and `hint` says what the user should do about it. Type guards check
 * `name`/`code` rather than `instanceof`, so errors that crossed a process boundary (a queue
 * job's stored failure, a worker thread) are still recognised.
 */
export class StoryCoreError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }

  /** One line for a terminal: the message, then the fix when there is one. */
  toOneLine(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }

  toJSON(): { name: string; code: string; message: string; hint?: string } {
    return { name: this.name, code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

export function isStoryCoreError(value: unknown): value is StoryCoreError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    value instanceof Error
  );
}
