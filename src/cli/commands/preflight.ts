import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { PreflightReport, WorkerInventory } from '../../catalog/preflight/index.js';
import type { AnyTemplate } from '../../catalog/templates/template.js';
import type { ApiGraph } from '../../comfy/graph.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import { CliExit } from '../cli-exit.js';
import { clientOptions } from '../client-options.js';
import type { CommandSetup } from '../command-setup.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors/usage-error.js';
import { ExitCode } from '../exit-codes.js';
import { oneOf, positiveUpTo } from '../option-parsers.js';
import { resolveWorker } from '../worker-target.js';
import { addSetOption, asUsage, configWithoutSettings, readJsonFile, settingsOf } from './templates.js';

interface PreflightOptions {
  worker: string[];
  sim?: boolean;
  missingModel: string[];
  missingPack: string[];
  profile?: string;
  objectInfo?: string;
  vram?: number;
  variant?: string;
  expect?: string;
  lenient?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerPreflight(program: Command, setup: CommandSetup): void {
  addSetOption(
    program
      .command('preflight')
      .description('check a graph or template against workers before spending GPU time: nodes, model files, validation, output, VRAM')
      .argument('<graph.json|template-id>', 'an API-format graph (editor workflows are converted), or a template id'),
  )
    .option('--variant <id>', 'with a template: apply one of its variants')
    .option('-w, --worker <url|name>', 'worker URL or configured worker name (repeatable; default: every configured worker)', collect, [])
    .option('--sim', 'check against an emulated worker that has every catalogue model and node pack')
    .option('--missing-model <file>', 'with --sim: the emulated worker lacks this model file (repeatable)', collect, [])
    .option('--missing-pack <pack>', 'with --sim: the emulated worker lacks this node pack, e.g. ComfyUI-Frame-Interpolation (repeatable)', collect, [])
    .option('--profile <gpu>', 'with --sim: emulated GPU (rtx4090, h100, …; default rtx4090)')
    .option('--object-info <file>', "offline: check against an object_info saved from a worker (its loader lists name its models)")
    .option('--vram <GB>', 'with --object-info: the GPU memory of that worker', positiveUpTo(4096, ' GB'))
    .option('--expect <kind>', 'for a graph file: the output it must produce (image, images, video)', oneOf(['image', 'images', 'video']))
    .option('--lenient', 'editor workflows: convert a link from a node that is not in the workflow to an unconnected input instead of failing')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore preflight wan22-i2v-14b --worker http://gpu-1:8188
  $ storycore preflight wan22-i2v-14b --set precision=fp16 --worker gpu-1 --worker gpu-2
  $ storycore preflight my-graph.json --expect video --worker http://127.0.0.1:8188 --json
  $ storycore preflight rife-interpolate --sim --missing-pack ComfyUI-Frame-Interpolation
  $ storycore preflight my-graph.json --object-info saved-object_info.json --vram 24

Exit code 0 when every worker is ready, 5 when a check found problems (listed with fixes).`,
    )
    .action(async (subject: string, options: PreflightOptions, command: Command) => {
      const ctx = setup.context(command);
      await preflightCommand(ctx, subject, options, settingsOf(command));
    });
}

type Subject = { template: AnyTemplate; params: Record<string, unknown>; graph: ApiGraph } | { path: string; json: unknown };

async function subjectOf(ctx: CliContext, subject: string, options: PreflightOptions, settings: Record<string, unknown>): Promise<Subject> {
  const path = resolve(ctx.io.cwd, subject);
  const isFile = existsSync(path) && statSync(path).isFile();
  if (isFile || /\.json$/i.test(subject)) {
    if (Object.keys(settings).length > 0 || options.variant) throw new UsageError('--set and --variant apply to templates, not graph files', 'edit the graph, or pass a template id');
    return { path: subject, json: readJsonFile(subject, ctx.io.cwd) };
  }
  const { templateById } = await import('../../catalog/templates/index.js');
  return asUsage(() => {
    const template = templateById(subject);
    const params = options.variant ? { ...(template.variant(options.variant, settings) as Record<string, unknown>) } : settings;
    return { template, params, graph: template.build(params) };
  });
}

/** One inventory source per target; `close` releases emulators and clients. */
interface Target {
  inventory(): Promise<WorkerInventory>;
  close(): Promise<void>;
}

async function targetsOf(ctx: CliContext, options: PreflightOptions): Promise<Target[]> {
  const modes = [options.sim, options.worker.length > 0, options.objectInfo !== undefined].filter(Boolean).length;
  if (modes > 1) throw new UsageError('--sim, --worker and --object-info are alternatives', 'check against real workers, the emulator, or a saved object_info: one at a time');
  if (!options.sim && (options.missingModel.length > 0 || options.missingPack.length > 0)) {
    throw new UsageError('--missing-model and --missing-pack need --sim', 'add --sim to check against an emulated worker that lacks them');
  }
  const { inventoryFromWorker, inventoryFromObjectInfo } = await import('../../catalog/preflight/index.js');
  if (options.objectInfo) {
    const { loadObjectInfoFile } = await import('../../comfy/object-info/load.js');
    const { GB } = await import('../../catalog/models/index.js');
    const objectInfo = loadObjectInfoFile(ctx.path(options.objectInfo, '--object-info', { mustExist: true }));
    const inventory = inventoryFromObjectInfo(objectInfo, { name: options.objectInfo, ...(options.vram ? { vramBytes: Math.round(options.vram * GB) } : {}) });
    return [{ inventory: async () => inventory, close: async () => {} }];
  }
  const { ComfyClient } = await import('../../comfy/client/index.js');
  if (options.sim) return [await simTarget(ctx, options)];

  const { config } = configWithoutSettings(ctx);
  const endpoints = options.worker.length > 0 ? options.worker.map((w) => resolveWorker(w, config)) : config.workers.length > 0 ? config.workers.map((w) => resolveWorker(w.name, config)) : [];
  if (endpoints.length === 0) {
    throw new UsageError('no worker to check against', 'pass --worker http://host:8188, add workers to storycore.config.yaml, or pass --sim for the emulator');
  }
  return endpoints.map((endpoint) => {
    const client = new ComfyClient(endpoint, { ...clientOptions(ctx, config), socket: false, getRetries: 0 });
    return {
      inventory: () => {
        ctx.target = endpoint.url;
        return inventoryFromWorker(client);
      },
      close: () => client.close(),
    };
  });
}

async function simTarget(ctx: CliContext, options: PreflightOptions): Promise<Target> {
  const { filesForFolder } = await import('../../catalog/models/index.js');
  const { LISTABLE_FOLDERS, inventoryFromWorker } = await import('../../catalog/preflight/index.js');
  const { extendedObjectInfo, extraNodeFiles } = await import('../../comfy/object-info/extra-nodes.js');
  const { parseGpuProfile } = await import('../sim-files.js');
  const { ComfyClient } = await import('../../comfy/client/index.js');
  const { startEmulator } = await import('../../sim/index.js');

  const models = Object.fromEntries(Object.entries(filesForFolder()).filter(([folder]) => LISTABLE_FOLDERS.includes(folder)));
  for (const file of options.missingModel) {
    const folders = Object.keys(models).filter((folder) => models[folder]!.includes(file));
    if (folders.length === 0) throw new UsageError(`--missing-model ${file}: not a catalogue file`, 'see storycore models list for the file names');
    for (const folder of folders) models[folder] = models[folder]!.filter((f) => f !== file);
  }
  const objectInfo: ObjectInfo = { ...extendedObjectInfo() };
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const pack of options.missingPack) {
    const file = extraNodeFiles().find((f) => f.source.pack !== 'core' && (norm(f.source.pack) === norm(pack) || norm(f.name) === norm(pack) || norm(f.source.pack).includes(norm(pack)) || Object.keys(f.nodes).some((c) => norm(c).includes(norm(pack)))));
    if (!file) {
      const packs = extraNodeFiles().filter((f) => f.source.pack !== 'core').map((f) => f.source.pack);
      throw new UsageError(`--missing-pack ${pack}: no such node pack`, `use one of ${packs.join(', ')}`);
    }
    for (const cls of Object.keys(file.nodes)) delete objectInfo[cls];
  }
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    name: 'sim',
    profile: parseGpuProfile(options.profile ?? 'rtx4090', '--profile'),
    timeScale: 0,
    models,
    objectInfo,
  });
  ctx.info(`emulated worker at ${emulator.url}`);
  const client = new ComfyClient({ url: emulator.url, name: 'sim' }, { socket: false, getRetries: 0 });
  return {
    inventory: () => inventoryFromWorker(client, 'sim'),
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

async function preflightCommand(ctx: CliContext, subjectText: string, options: PreflightOptions, settings: Record<string, unknown>): Promise<void> {
  if (options.expect && !['image', 'images', 'video'].includes(options.expect)) {
    throw new UsageError(`--expect ${options.expect}: unknown output kind`, 'use image, images or video');
  }
  const subject = await subjectOf(ctx, subjectText, options, settings);
  const { preflight, renderPreflightReport, checkGraphInput } = await import('../../catalog/preflight/index.js');
  const { extendedObjectInfo } = await import('../../comfy/object-info/extra-nodes.js');
  const targets = await targetsOf(ctx, options);
  const reports: PreflightReport[] = [];
  try {
    for (const target of targets) {
      const inventory = await target.inventory();
      let graph: ApiGraph;
      if ('template' in subject) graph = subject.graph;
      else {
        // Editor workflows are converted with the worker's definitions (plus the known packs, so a missing pack is reported, not fatal).
        const input = checkGraphInput(subject.json, { objectInfo: { ...extendedObjectInfo(), ...inventory.objectInfo }, lenient: options.lenient ?? false });
        if (!input.ok) throw new UsageError(`${subject.path}: ${input.message}`, input.fix);
        for (const note of input.notes) ctx.info(`${subject.path}: ${note}`);
        graph = input.graph;
      }
      reports.push(
        preflight(graph, inventory, {
          ...('template' in subject ? { template: subject.template, params: subject.params } : {}),
          ...(options.expect ? { expectedOutput: options.expect as 'image' | 'images' | 'video' } : {}),
        }),
      );
    }
  } finally {
    await Promise.all(targets.map((t) => t.close()));
  }

  const ok = reports.every((r) => r.ok);
  if (ctx.json) ctx.printJson({ ok, reports });
  else for (const report of reports) for (const line of renderPreflightReport(report)) ctx.out(line);
  if (!ok) throw new CliExit(ExitCode.checkFailed);
}
