import { StoryCoreError } from '../../errors/storycore-error.js';

/** One thing wrong with the configuration, already phrased for a user (secrets redacted). */
export interface ConfigProblem {
  /** Dotted key path, e.g. `queue.backend` or `workers.0.url`; empty for a whole-file problem. */
  path: string;
  message: string;
  hint: string;
  /** Where the bad value came from: a file (with line when known), an env var or a flag. */
  where?: string;
}

export type ConfigErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_UNREADABLE'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_INVALID'
  | 'CONFIG_ENV_INVALID'
  | 'CONFIG_FLAG_INVALID';

/**
 * The configuration cannot be used. `problems` lists every issue; the message is the first
 * one in a single line, so a terminal shows what to fix without a wall of text.
 */
export class ConfigError extends StoryCoreError {
  readonly problems: ConfigProblem[];

  constructor(code: ConfigErrorCode, problems: ConfigProblem[], options: { cause?: unknown } = {}) {
    const first = problems[0] ?? { path: '', message: 'invalid configuration', hint: 'run storycore config check' };
    const more = problems.length > 1 ? ` (+${problems.length - 1} more; storycore config check lists all)` : '';
    const prefix = first.where ? `${first.where}: ` : '';
    super(code, `${prefix}${first.message}${more}`, { hint: first.hint, cause: options.cause });
    this.problems = problems;
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof Error && value.name === 'ConfigError';
}
