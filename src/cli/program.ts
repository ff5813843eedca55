import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isCliExit } from './cli-exit.js';
import type { CommandSetup } from './command-setup.js';
import { registerComfyui } from './commands/comfyui.js';
import { registerConfig, runConfigCheck } from './commands/config.js';
import { registerConformance } from './commands/conformance.js';
import { registerConvert } from './commands/convert.js';
import { registerDemo } from './commands/demo.js';
import { registerGc } from './commands/gc.js';
import { registerGenerate } from './commands/generate.js';
import { registerInit } from './commands/init.js';
import { registerPlan } from './commands/plan.js';
import { registerRender } from './commands/render.js';
import { registerStatus } from './commands/status.js';
import { registerMetrics } from './commands/metrics.js';
import { registerModels } from './commands/models.js';
import { registerPreflight } from './commands/preflight.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerKeys } from './commands/keys.js';
import { registerSim } from './commands/sim.js';
import { registerTemplates } from './commands/templates.js';
import { registerWorkers } from './commands/workers.js';
import { CliContext, type GlobalOptions } from './context.js';
import { UsageError } from './errors/usage-error.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { removeStaleScratchDirs } from '../platform/scratch-dir.js';
import { pathSettings } from './storage-hint.js';
import { describeError, formatErrorJson, formatErrorLine, formatStack } from './render-error.js';

const COMMANDS = [
  registerRun, registerWorkers, registerSim, registerDemo, registerConfig, registerConformance,
  registerPreflight, registerTemplates, registerModels, registerConvert, registerComfyui, registerMetrics,
  registerInit, registerPlan, registerGenerate, registerRender, registerStatus, registerGc, registerServe, registerKeys,
];

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Runs `storycore` with `argv` (without node and script) and returns the exit code. Every
 * failure ends here: one line on stderr (or one JSON object on stdout with --json), never a
 * stack trace unless --verbose.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const wantsJson = argv.includes('--json');
  const { program, current } = createProgram(io, wantsJson);

  // Scratch folders of StoryCore processes killed with -9 go at the next start (best effort).
  await removeStaleScratchDirs().catch(() => undefined);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof ConfigCheckDone) return ExitCode.ok;
    if (isCliExit(error)) return error.exitCode;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const ctx = current();
    const json = ctx?.json ?? wantsJson;
    const verbose = ctx?.verbose ?? argv.includes('--verbose');
    const settings = ctx?.loaded ? pathSettings(ctx.loaded.config, io.cwd, io.env) : [];
    const rendered = describeError(error, ctx?.target, settings);
    if (json) io.stdout.write(`${formatErrorJson(rendered)}\n`);
    else io.stderr.write(`${formatErrorLine(rendered)}\n`);
    if (verbose) io.stderr.write(`${formatStack(error)}\n`);
    return rendered.exitCode;
  }
}

/**
 * The storycore program with every command registered, not yet parsed. `current()` is the
 * context of the command that ran (for error rendering). Tests parse documented command lines
 * with it to check that every option they show exists.
 */
export function createProgram(io: CliIo, wantsJson = false): { program: Command; current: () => CliContext | undefined } {
  let current: CliContext | undefined;
  const setup: CommandSetup = {
    io,
    context(command) {
      current = new CliContext(io, command.optsWithGlobals<GlobalOptions>());
      return current;
    },
  };
  const program = new Command('storycore')
    .description('StoryCore Engine: run ComfyUI graphs on GPU workers (or the built-in emulator) and collect their outputs')
    .version(version(), '-V, --version')
    .option('-c, --config <file>', 'config file (default: storycore.config.yaml/.yml/.json in the current directory)')
    .option('--json', 'machine-readable output on stdout')
    .option('-v, --verbose', 'more detail, and stack traces of unexpected errors')
    .option('-q, --quiet', 'only results and errors')
    .option('--no-color', 'no ANSI colours')
    .option('--config-check', 'print the merged config with sources and exit (same as `config check`)')
    .option('--config-set <key=value>', 'set a config key, e.g. --config-set queue.backend=bullmq (repeatable)', collect, [])
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => {
        // Values are echoed as typed: escape control characters so a value with a newline stays on one line.
        const message = escapeControls(text.trim().replace(/^error:\s*/, ''));
        if (wantsJson) io.stdout.write(`${JSON.stringify({ error: { code: 'CLI_USAGE', message, hint: 'see storycore --help' } })}\n`);
        else write(`error: ${message} — see storycore --help\n`);
      },
    })
    .action((_options, command: Command) => {
      const ctx = setup.context(command);
      if (ctx.options.configCheck) return runConfigCheck(ctx);
      const [unknown] = command.args;
      if (unknown !== undefined) {
        const names = program.commands.map((c) => c.name());
        const guess = names.find((n) => n.startsWith(unknown.slice(0, 2)));
        throw new UsageError(`unknown command '${unknown}'`, `${guess ? `did you mean ${guess}? ` : ''}run storycore --help to list commands`);
      }
      io.stderr.write(program.helpInformation());
      throw new CommanderError(ExitCode.usage, 'storycore.noCommand', '');
    });

  for (const register of COMMANDS) register(program, setup);
  // Subcommands inherit exit/output handling so their parse errors are rendered the same way.
  program.commands.forEach(function inherit(cmd: Command): void {
    cmd.copyInheritedSettings(program);
    cmd.commands.forEach(inherit);
  });

  // Set after the loop so subcommands keep rejecting stray arguments; the root reports unknown commands itself.
  program.allowExcessArguments(true);

  program.hook('preAction', (_root, action) => {
    const options = action.optsWithGlobals<GlobalOptions>();
    if (options.configCheck && action !== program) {
      runConfigCheck(setup.context(action));
      throw new ConfigCheckDone();
    }
  });

  return { program, current: () => current };
}

class ConfigCheckDone {}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
