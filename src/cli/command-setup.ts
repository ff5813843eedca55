import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { CliIo } from './io.js';

/** What each command file receives to register itself on the program. */
export interface CommandSetup {
  io: CliIo;
  /** The context of the command being run (global options merged in). */
  context(command: Command): CliContext;
}

export type RegisterCommand = (program: Command, setup: CommandSetup) => void;

/** Parses a numeric option, failing with commander's one-line "invalid argument" error. */
export { InvalidArgumentError } from 'commander';
