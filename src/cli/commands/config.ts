import type { Command } from 'commander';
import { describeConfig, isConfigError, redactedConfig, type ConfigError } from '../../config/index.js';
import { CliExit } from '../cli-exit.js';
import type { CommandSetup } from '../command-setup.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';

export function registerConfig(program: Command, setup: CommandSetup): void {
  const config = program.command('config').description('inspect the layered configuration');
  config
    .command('check')
    .description('print the merged config with the source of every value (secrets redacted)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore config check
  $ STORYCORE_ENV=production storycore config check --json
  $ storycore --config ./studio.yaml --config-set queue.backend=bullmq config check`,
    )
    .action((_options, command: Command) => {
      runConfigCheck(setup.context(command));
    });
}

/** Shared by `config check` and the global `--config-check` flag. */
export function runConfigCheck(ctx: CliContext): void {
  let loaded;
  try {
    loaded = ctx.loadConfig();
  } catch (error) {
    if (!isConfigError(error)) throw error;
    reportProblems(ctx, error);
    throw new CliExit(ExitCode.usage);
  }
  const entries = describeConfig(loaded);
  if (ctx.json) {
    ctx.printJson({
      ok: true,
      file: loaded.file ?? null,
      environment: loaded.environment,
      profileApplied: loaded.profileApplied,
      values: Object.fromEntries(entries.map((e) => [e.key, { value: e.value, source: e.from }])),
      config: redactedConfig(loaded),
    });
    return;
  }
  ctx.out(`config file: ${loaded.file ?? '(none: built-in defaults)'}`);
  ctx.out(`environment: ${loaded.environment}${loaded.profileApplied ? ` (profiles.${loaded.environment} applied)` : ''}`);
  const rows = entries.map((e) => [e.key, formatValue(e.value), e.from] as const);
  const keyWidth = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.min(48, Math.max(...rows.map((r) => r[1].length)));
  for (const [key, value, from] of rows) ctx.out(`${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${from}`);
}

function reportProblems(ctx: CliContext, error: ConfigError): void {
  if (ctx.json) {
    ctx.printJson({ error: { code: error.code, message: error.message, hint: error.hint, problems: error.problems } });
    return;
  }
  for (const p of error.problems) {
    ctx.io.stderr.write(`error: ${p.where ? `${p.where}: ` : ''}${p.message} — ${p.hint}\n`);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value === '' ? "''" : value;
  return JSON.stringify(value) ?? String(value);
}
