/**
 * Ends a command with a given exit code after it has already told the user everything
 * (e.g. `config check` listing every problem). Not an error: nothing more is printed.
 */
export class CliExit {
  constructor(readonly exitCode: number) {}
}

export function isCliExit(value: unknown): value is CliExit {
  return value instanceof CliExit;
}
