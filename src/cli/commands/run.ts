import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { WorkerEndpoint } from '../../comfy/client/endpoint.js';
import type { GraphRunResult } from '../../demo/run-graph.js';
import type { Emulator } from '../../sim/index.js';
import { clientOptions } from '../client-options.js';
import type { CommandSetup } from '../command-setup.js';
import { flagIf, type CliContext } from '../context.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors/usage-error.js';
import { readGraphRequest } from '../graph-file.js';
import { positiveUpTo, seconds } from '../option-parsers.js';
import { createProgress } from '../progress.js';
import { parseGpuProfile, readModelsFile, readObjectInfoFile } from '../sim-files.js';
import { buildWorkerReport } from '../worker-report.js';
import { configuredWorker, resolveWorker } from '../worker-target.js';

interface RunOptions {
  worker?: string;
  sim?: boolean;
  profile?: string;
  timeScale?: number;
  models?: string;
  objectInfo?: string;
  out?: string;
  timeout?: number;
}

export function registerRun(program: Command, setup: CommandSetup): void {
  program
    .command('run')
    .description('run one API-format ComfyUI graph on a worker (or the emulator) and download its outputs')
    .argument('<graph.json>', "API-format graph, as saved with 'Save (API)' in ComfyUI, or a full /prompt request body")
    .option('-w, --worker <url|name>', 'ComfyUI worker URL, or the name of a worker in the config')
    .option('--sim', 'run on an in-process emulator instead of a worker')
    .option('--profile <gpu>', 'emulated GPU with --sim (rtx4090, h100, cpu…) [config sim.profile]')
    .option('--time-scale <x>', 'emulated time per real time with --sim (0.01 = 100x faster) [config sim.timeScale]', positiveUpTo(1000))
    .option('--models <file>', 'with --sim: JSON of model files the emulator has (default examples/sim-models.json)')
    .option('--object-info <file>', "with --sim: node definitions saved from a worker's /object_info")
    .option('-o, --out <dir>', 'where output files are saved [config paths.outputDir, default ./out]')
    .option('--timeout <seconds>', 'cancel the job after this long [config defaults.timeoutMs]', seconds)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore run examples/graphs/keyframe-sd15.json --sim --time-scale 0.01
  $ storycore run my-graph.json --worker http://gpu-1:8188 --out renders/ --timeout 900
  $ storycore run my-graph.json --worker gpu-1 --json     # a worker named in storycore.config.yaml

A /prompt request body ({"prompt": {...}, ...}) keeps its prompt_id, number, front,
extra_data and partial_execution_targets.

Prints one "<sha256>  <path>" line per saved file (sha256sum format).`,
    )
    .action(async (graphPath: string, options: RunOptions, command: Command) => {
      const ctx = setup.context(command);
      await runCommand(ctx, graphPath, options);
    });
}

async function runCommand(ctx: CliContext, graphPath: string, options: RunOptions): Promise<void> {
  if (options.sim && options.worker) {
    throw new UsageError('--sim and --worker both given', 'use --worker URL for a real ComfyUI worker, or --sim for the emulator, not both');
  }
  const { config } = ctx.loadConfig([
    ...flagIf(options.profile, 'sim.profile', '--profile'),
    ...flagIf(options.timeScale, 'sim.timeScale', '--time-scale'),
    ...flagIf(options.out === undefined ? undefined : ctx.path(options.out, '--out'), 'paths.outputDir', '--out'),
    ...flagIf(options.timeout === undefined ? undefined : Math.round(options.timeout * 1000), 'defaults.timeoutMs', '--timeout'),
  ]);
  const { graph, submit } = readGraphRequest(graphPath, ctx.io.cwd, config.limits);
  // Loaded on demand: the emulator pulls in image and video tooling that `config check` never needs.
  const { runGraph } = await import('../../demo/run-graph.js');
  const { exampleModels } = await import('../../demo/example-graphs.js');
  const { ComfyClient } = await import('../../comfy/client/index.js');

  let emulator: Emulator | undefined;
  let endpoint: WorkerEndpoint;
  if (options.sim) {
    const profile = parseGpuProfile(config.sim.profile, 'sim.profile');
    const models = options.models ? readModelsFile(ctx.path(options.models, '--models', { mustExist: true }), ctx.io.cwd) : exampleModels();
    const { startEmulator } = await import('../../sim/index.js');
    emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      name: 'sim',
      profile,
      timeScale: config.sim.timeScale,
      models,
      ...(options.objectInfo ? { objectInfo: readObjectInfoFile(ctx.path(options.objectInfo, '--object-info', { mustExist: true }), ctx.io.cwd) } : {}),
    });
    endpoint = { url: emulator.url, name: emulator.name };
    ctx.info(`emulator (${profile}, time scale ${config.sim.timeScale}) at ${emulator.url}`);
  } else {
    const chosen = options.worker ? resolveWorker(options.worker, config) : configuredWorker(config);
    if (!chosen) {
      throw new UsageError(
        'no worker to run on',
        'pass --worker http://host:8188, add a worker under workers: in storycore.config.yaml, or pass --sim for the built-in emulator',
      );
    }
    endpoint = chosen;
  }
  ctx.target = endpoint.url;

  const client = new ComfyClient(endpoint, clientOptions(ctx, config));
  // Probe first: a wrong address fails in a second with a clear line, not after the socket wait.
  const gpu = buildWorkerReport(endpoint.url, await client.systemStats().catch(async (error: unknown) => {
    client.close();
    await emulator?.close();
    throw error;
  }), undefined, undefined).gpu;
  if (!options.sim) ctx.info(`worker ${endpoint.url}${gpu ? ` (${gpu.name})` : ''}`);
  const progress = createProgress(ctx, { title: basename(graphPath) });
  const stop = ctx.stopSignal();
  const abort = new AbortController();
  void stop.promise.then(() => abort.abort());
  let result: GraphRunResult;
  try {
    result = await runGraph(client, graph, {
      outDir: resolve(ctx.io.cwd, config.paths.outputDir),
      timeoutMs: config.defaults.timeoutMs,
      signal: abort.signal,
      submit,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.stop();
    stop.dispose();
    client.close();
    await emulator?.close();
  }

  if (ctx.json) {
    ctx.printJson({ promptId: result.promptId, worker: endpoint.url, outDir: config.paths.outputDir, files: result.files });
    return;
  }
  for (const file of result.files) ctx.out(`${file.sha256}  ${displayPath(file.path, ctx.io.cwd)}`);
  ctx.info(`${result.files.length} file(s) from prompt ${result.promptId} saved under ${config.paths.outputDir}`);
}
