import type { Command } from 'commander';
import { StoryCoreError } from '../../errors/storycore-error.js';
import { clientOptions } from '../client-options.js';
import type { CommandSetup } from '../command-setup.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors/usage-error.js';
import { resolveWorker } from '../worker-target.js';

/** The conformance module is written separately; until it exists the command says so. */
interface ConformanceModule {
  runConformance(options?: Record<string, unknown>): Promise<unknown>;
  runDifferential?(options: { worker: string; only?: string; print?: (line: string) => void }): Promise<{ ok: boolean }>;
  formatDifferentialTable?(report: never): string;
  kitLocation?(env: Record<string, string | undefined>): { kit: string; workdir: string } | undefined;
  startKitServer?(location: { kit: string; workdir: string }): Promise<{ url: string; stop(): Promise<void> }>;
}

interface ConformanceFlags {
  worker?: string;
  differential?: boolean;
  only?: string;
}

export function registerConformance(program: Command, setup: CommandSetup): void {
  program
    .command('conformance')
    .description('check the emulator (or a worker) against the recorded ComfyUI protocol')
    .option('--json', 'print JSON')
    .option('--worker <url>', 'check this worker instead of the built-in emulator (with --differential: the real ComfyUI to compare with; default: start one from STORYCORE_REAL_COMFYUI_KIT)')
    .option('--differential', 'run the differential suite: image-node graphs on a real ComfyUI (--worker) and on the emulator, compared')
    .option('--only <text>', 'with --differential: only the graphs whose id contains <text>')
    .addHelpText('after', '\nExamples:\n  $ storycore conformance\n  $ storycore conformance --json\n  $ storycore conformance --differential --worker http://127.0.0.1:8188')
    .action(async (options: ConformanceFlags, command: Command) => {
      const ctx = setup.context(command);
      if (options.differential || options.only !== undefined) return runDifferentialCommand(options, ctx);
      if (options.worker) await assertAnswers(ctx, options.worker);
      const module = await loadConformance();
      const result = await module.runConformance({ ...(options.worker ? { worker: options.worker } : {}), json: ctx.json });
      if (ctx.json && result !== undefined) ctx.printJson(result);
      if (isFailed(result)) {
        throw new StoryCoreError('CONFORMANCE_FAILED', 'conformance checks failed', { hint: 'see the failures listed above' });
      }
    });
}

/**
 * `--differential`: compares the emulator with the real ComfyUI at `--worker`, or with one
 * started from the real-ComfyUI kit when STORYCORE_REAL_COMFYUI_KIT and
 * STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS point at it (as in CI); prints the per-graph table.
 */
async function runDifferentialCommand(options: ConformanceFlags, ctx: CliContext): Promise<void> {
  if (!options.differential) throw new UsageError('--only works with --differential', 'add --differential, or drop --only');
  const module = await loadConformance();
  if (!module.runDifferential || !module.formatDifferentialTable || !module.kitLocation || !module.startKitServer) {
    throw new StoryCoreError('CONFORMANCE_UNAVAILABLE', 'the differential suite is not part of this build', { hint: 'update StoryCore' });
  }
  let worker = options.worker ? await assertAnswers(ctx, options.worker) : undefined;
  let started: { url: string; stop(): Promise<void> } | undefined;
  if (!worker) {
    const location = module.kitLocation(ctx.io.env);
    if (!location) {
      throw new UsageError(
        '--differential needs --worker <url>: the real ComfyUI 0.3.64 to compare the emulator with (or STORYCORE_REAL_COMFYUI_KIT and STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS to start one)',
        'start one (e.g. ../shared/real-comfyui/start.sh WORKDIR 8188) and pass --worker http://127.0.0.1:8188',
      );
    }
    ctx.info('starting a real ComfyUI from the kit…');
    started = await module.startKitServer(location);
    worker = started.url;
  }
  try {
    const report = await module.runDifferential({ worker, ...(options.only ? { only: options.only } : {}), ...(ctx.json ? {} : { print: (line: string) => ctx.info(line) }) });
    if (ctx.json) ctx.printJson(report);
    else ctx.out(module.formatDifferentialTable(report as never));
    if (!report.ok) throw new StoryCoreError('CONFORMANCE_FAILED', 'the emulator differs from the real ComfyUI', { hint: 'see the differences listed under the table' });
  } finally {
    await started?.stop();
  }
}

/** A worker that is down or silent fails here in one line (client.checkTimeoutMs), not 13 times over. Returns its URL. */
async function assertAnswers(ctx: CliContext, url: string): Promise<string> {
  const { config } = ctx.loadConfig();
  const endpoint = resolveWorker(url, config);
  ctx.target = endpoint.url;
  const { ComfyClient } = await import('../../comfy/client/index.js');
  const client = new ComfyClient(endpoint, clientOptions(ctx, config, { check: true }));
  try {
    await client.systemStats();
  } finally {
    await client.close();
  }
  return endpoint.url;
}

async function loadConformance(): Promise<ConformanceModule> {
  const specifier = '../../conformance/index.js';
  try {
    const module = (await import(specifier)) as Partial<ConformanceModule>;
    if (typeof module.runConformance === 'function') return module as ConformanceModule;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_LOAD_URL') throw cause;
  }
  throw new StoryCoreError('CONFORMANCE_UNAVAILABLE', 'the conformance suite is not part of this build yet (src/conformance/index.ts is missing)', {
    hint: 'update StoryCore, or run the protocol tests with npx vitest run test/',
  });
}

function isFailed(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  const r = result as { ok?: unknown; failed?: unknown; passed?: unknown };
  return r.ok === false || r.passed === false || (typeof r.failed === 'number' && r.failed > 0);
}
