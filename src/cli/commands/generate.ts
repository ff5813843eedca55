import type { Command } from 'commander';
import type { StoryCoreConfig } from '../../config/index.js';
import type { GenerateEvent, GenerateReport, TaskOutcome } from '../../engine/generate.js';
import type { SessionOptions } from '../../engine/project-session.js';
import type { CommandSetup } from '../command-setup.js';
import { flagIf, type CliContext } from '../context.js';
import { integerIn, positiveUpTo } from '../option-parsers.js';
import { parseGpuProfile } from '../sim-files.js';

interface GenerateOptions {
  sim?: boolean;
  workers?: number;
  profile?: string;
  timeScale?: number;
  force: string[];
  dryRun?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--sim` settings from the config's sim section (after --workers/--profile/--time-scale). */
export function simSettings(config: StoryCoreConfig): NonNullable<SessionOptions['sim']> {
  return { workers: config.sim.workers, profile: parseGpuProfile(config.sim.profile, 'sim.profile'), timeScale: config.sim.timeScale };
}

export function seconds(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : ms < 600_000 ? `${Math.round(ms / 1000)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** One progress line per task that starts or ends, with the ETA of what is left. */
export function progressLine(event: GenerateEvent): string | undefined {
  if (event.type === 'retry') return `  retry  ${event.key} (was on ${event.worker}): ${event.reason}`;
  if (event.type === 'alert') return `  alert  ${event.alert.status === 'raised' ? `${event.alert.severity}: ` : ''}${event.alert.message}`;
  const t = event.task;
  if (t.status === 'queued' || t.status === 'waiting') return undefined;
  const width = String(event.total).length;
  const count = `[${String(event.done).padStart(width)}/${event.total}]`;
  const what =
    t.status === 'running' ? `running on ${t.worker}` :
    t.status === 'ran' ? `done on ${t.worker} in ${seconds(t.ms)}` :
    t.status === 'cached' ? 'cached (asset stored, not submitted)' :
    `${t.status}: ${t.error?.message ?? ''}`;
  const eta = event.etaMs !== undefined && event.done < event.total ? `  ETA ${event.etaGuess ? `~${seconds(event.etaMs)} (catalogue estimate, nothing finished yet)` : seconds(event.etaMs)}` : '';
  return `${count} ${t.key.padEnd(22)} ${what}${eta}`;
}

/** The summary table: task, status, worker, time, cached/ran. */
export function summaryTable(tasks: readonly TaskOutcome[]): string[] {
  const rows = tasks.map((t) => [t.key, t.templateId, t.status, t.worker ?? '–', t.status === 'ran' ? seconds(t.ms) : '–', t.status === 'cached' ? 'cached' : t.status === 'ran' ? 'ran' : '–']);
  const head = ['task', 'template', 'status', 'worker', 'time', 'cached/ran'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function reportLine(report: GenerateReport): string {
  return `${report.tasks.length} tasks: ${report.ran} ran, ${report.cached} cached, ${report.failed} failed; ${report.queued} queued in ${seconds(report.elapsedMs)}`;
}

export function registerGenerate(program: Command, setup: CommandSetup): void {
  program
    .command('generate')
    .description('generate every shot of a story (keyframes, clips) on the workers; only tasks whose result is not stored run')
    .argument('[story.yaml]', 'the story file', 'story.yaml')
    .option('--sim', 'run on in-process emulated workers: an animatic, no GPU needed')
    .option('--workers <n>', 'with --sim: emulated workers [config sim.workers]', integerIn(1, 64))
    .option('--profile <gpu>', 'with --sim: emulated GPU [config sim.profile]')
    .option('--time-scale <x>', 'with --sim: emulated time per real time [config sim.timeScale]', positiveUpTo(1000))
    .option('--force <shot>', 'run this shot again although its assets are stored (repeatable; shot-3 = shot-003)', collect, [])
    .option('--dry-run', 'show each task (stored or to run) and preflight it on every worker; submit nothing')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore generate story.yaml --sim\n  $ storycore generate --force shot-3\n  $ storycore generate --dry-run')
    .action(async (file: string, options: GenerateOptions, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig([
        ...flagIf(options.workers, 'sim.workers', '--workers'),
        ...flagIf(options.profile, 'sim.profile', '--profile'),
        ...flagIf(options.timeScale, 'sim.timeScale', '--time-scale'),
      ]);
      const { planStory } = await import('../../engine/story-plan.js');
      const plan = planStory(file, ctx.io.cwd, { allowedDirs: config.paths.allowedDirs, limits: config.limits });
      const { matchShots } = await import('../../story/tasks/index.js');
      const force = matchShots(options.force, plan.graph.shots);
      if (options.dryRun) {
        return runDryRun(ctx, config, plan, options.sim === true);
      }
      await runGenerate(ctx, config, plan, { sim: options.sim === true, force });
    });
}

async function runDryRun(ctx: CliContext, config: StoryCoreConfig, plan: import('../../engine/story-plan.js').StoryPlan, sim: boolean): Promise<void> {
  const { ProjectState } = await import('../../engine.js');
  const { dryRun } = await import('../../engine/dry-run.js');
  const state = await ProjectState.open(config, plan.projectDir);
  try {
    const report = await dryRun(state, plan, { cwd: ctx.io.cwd, config, ...(sim ? { sim: simSettings(config) } : {}) });
    if (ctx.json) return ctx.printJson(report);
    const toRun = report.tasks.filter((t) => t.status === 'to-run');
    for (const t of report.tasks) ctx.out(`${t.key.padEnd(22)} ${t.templateId.padEnd(18)} ${t.status === 'stored' ? 'stored, will not be submitted' : 'to run'}`);
    ctx.out(`${toRun.length} of ${report.tasks.length} tasks would run; nothing was submitted`);
    if (report.noWorkers) ctx.out('no worker is configured: add one with `storycore workers add http://HOST:8188`, or use --sim for an animatic made by the emulator');
    for (const w of report.workers) {
      if (w.error) ctx.out(`worker ${w.name} (${w.url}): unreachable: ${w.error}`);
      else if (w.ok) ctx.out(`worker ${w.name} (${w.url}): ready for every task to run`);
      else for (const line of w.lines) ctx.out(line);
    }
  } finally {
    await state.close();
  }
}

/** Generates with progress lines and the summary table; shared by `generate` and `demo`. */
export async function runGenerate(
  ctx: CliContext,
  config: StoryCoreConfig,
  plan: import('../../engine/story-plan.js').StoryPlan,
  options: { sim: boolean; force?: ReadonlySet<string>; quietTable?: boolean },
): Promise<GenerateReport> {
  const { ProjectSession } = await import('../../engine/project-session.js');
  const { generateStory } = await import('../../engine/generate.js');
  const { Engine, NoWorkerConfiguredError } = await import('../../engine.js');
  const { hasTaskIndex } = await import('../../engine/stored-tasks.js');
  // Workers are opened only when a task has to run: a fully stored story needs none. Without
  // one, the first task to run stops the command with NoWorkerConfiguredError before it is
  // queued (Engine.open refuses), and no emulator stands in silently. A project that has
  // stored nothing yet is refused before its store and queue are created.
  if (!options.sim && !hasTaskIndex(plan.projectDir) && (await Engine.configuredWorkers(config, ctx.io.cwd)).length === 0) throw new NoWorkerConfiguredError();
  const session = await ProjectSession.open({ config, plan, cwd: ctx.io.cwd, ...(options.sim ? { sim: simSettings(config) } : {}) });
  const abort = new AbortController();
  const stop = ctx.stopSignal();
  void stop.promise.then(() => abort.abort());
  try {
    const report = await generateStory(session, plan, {
      ...(options.force ? { force: options.force } : {}),
      maxAttempts: config.queue.maxAttempts,
      noWorkerTimeoutMs: config.client.unreachableTimeoutMs,
      onWaiting: (line) => ctx.info(line),
      signal: abort.signal,
      onEvent(event) {
        const line = progressLine(event);
        if (line) ctx.info(line);
      },
    });
    if (ctx.json && !options.quietTable) ctx.printJson(report);
    else if (!options.quietTable) {
      for (const line of summaryTable(report.tasks)) ctx.out(line);
      ctx.info(reportLine(report));
    }
    return report;
  } finally {
    stop.dispose();
    await session.close();
  }
}
