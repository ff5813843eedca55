import type { Command } from 'commander';
import { StoryCoreError } from '../../errors/storycore-error.js';
import { clientOptions } from '../client-options.js';
import type { CommandSetup } from '../command-setup.js';
import type { CliContext } from '../context.js';
import { resolveWorker } from '../worker-target.js';

/** The conformance module is written separately; until it exists the command says so. */
interface ConformanceModule {
  runConformance(options?: Record<string, unknown>): Promise<unknown>;
}

export function registerConformance(program: Command, setup: CommandSetup): void {
  program
    .command('conformance')
    .description('check the emulator (or a worker) against the recorded ComfyUI protocol')
    .option('--json', 'print JSON')
    .option('--worker <url>', 'check this worker instead of the built-in emulator')
    .addHelpText('after', '\nExamples:\n  $ storycore conformance\n  $ storycore conformance --json')
    .action(async (options: { worker?: string }, command: Command) => {
      const ctx = setup.context(command);
      if (options.worker) await assertAnswers(ctx, options.worker);
      const module = await loadConformance();
      const result = await module.runConformance({ ...(options.worker ? { worker: options.worker } : {}), json: ctx.json });
      if (ctx.json && result !== undefined) ctx.printJson(result);
      if (isFailed(result)) {
        throw new StoryCoreError('CONFORMANCE_FAILED', 'conformance checks failed', { hint: 'see the failures listed above' });
      }
    });
}

/** A worker that is down or silent fails here in one line (client.checkTimeoutMs), not 13 times over. */
async function assertAnswers(ctx: CliContext, url: string): Promise<void> {
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
