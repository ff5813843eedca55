import path from 'node:path';
import type { Command } from 'commander';
import { clientOptions } from '../client-options.js';
import type { CommandSetup } from '../command-setup.js';
import { buildWorkerReport, formatWorkerReport } from '../worker-report.js';
import { resolveWorker } from '../worker-target.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors/usage-error.js';
import { integerIn, seconds } from '../option-parsers.js';
import type { LastKnownHealth, WorkerRegistry, WorkerSummary } from '../../workers/index.js';

export function registerWorkers(program: Command, setup: CommandSetup): void {
  const workers = program.command('workers').description('inspect ComfyUI workers');
  workers
    .command('check')
    .description('show a worker\'s GPU, VRAM, ComfyUI/Python/PyTorch versions, queue and node count')
    .argument('<url|name>', 'worker URL (http://host:8188) or the name of a configured worker')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore workers check http://127.0.0.1:8188
  $ storycore workers check gpu-1 --json     # a worker named in storycore.config.yaml`,
    )
    .action(async (target: string, _options, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig();
      const endpoint = resolveWorker(target, config);
      ctx.target = endpoint.url;
      const { ComfyClient } = await import('../../comfy/client/index.js');
      // A check should answer fast: no socket, no retries of a refused connection.
      const client = new ComfyClient(endpoint, clientOptions(ctx, config, { check: true }));
      try {
        const [stats, queue, objectInfo] = await Promise.all([client.systemStats(), client.queue(), client.objectInfo()]);
        const report = buildWorkerReport(endpoint.url, stats, queue, objectInfo);
        if (ctx.json) ctx.printJson(report);
        else for (const line of formatWorkerReport(report)) ctx.out(line);
      } finally {
        client.close();
      }
    });

  workers
    .command('list')
    .description('list configured and added workers with their health and GPU (probes each one unless --no-probe)')
    .option('--no-probe', 'show the last known health instead of checking now')
    .option('--timeout <seconds>', 'how long each worker may take to answer', seconds, 3)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore workers list
  $ storycore workers list --no-probe --json`,
    )
    .action(async (options: { probe: boolean; timeout: number }, command: Command) => {
      const ctx = setup.context(command);
      const registry = await openRegistry(ctx);
      if (options.probe) await probeAll(registry, options.timeout * 1000);
      const summaries = registry.summaries();
      if (ctx.json) ctx.printJson({ workers: summaries });
      else if (summaries.length === 0) ctx.info('no workers: add one with storycore workers add <url>, or list them under workers: in storycore.config.yaml');
      else {
        for (const line of formatWorkerTable(summaries)) ctx.out(line);
        for (const w of summaries) {
          if (w.lastKnown && w.lastKnown.state !== 'healthy' && w.lastKnown.reason) ctx.info(`${w.name}: ${w.lastKnown.state}: ${w.lastKnown.reason}`);
        }
      }
    });

  workers
    .command('add')
    .description('add a worker to the local list (<dataDir>/workers.json); tokens are stored there, never printed')
    .argument('<url>', 'ComfyUI address, http://host:port')
    .option('--name <name>', 'worker name (default host:port)')
    .option('--tag <tag>', 'a tag routing can match, e.g. flux or 48gb (repeatable)', collectValues, [])
    .option('--token <token>', 'bearer token sent as Authorization: Bearer … (visible in shell history: prefer --token-env)')
    .option('--token-env <variable>', 'read the bearer token from this environment variable')
    .option('--max-queued <n>', 'prompts the dispatcher keeps queued on it at once', integerIn(1, 10_000))
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore workers add http://10.0.0.5:8188 --name gpu-5 --tag flux --tag 24gb
  $ STORYCORE_GPU5_TOKEN=… storycore workers add https://gpu5.example.com --token-env STORYCORE_GPU5_TOKEN`,
    )
    .action(async (url: string, options: { name?: string; tag: string[]; token?: string; tokenEnv?: string; maxQueued?: number }, command: Command) => {
      const ctx = setup.context(command);
      if (options.token !== undefined && options.tokenEnv !== undefined) throw new UsageError('--token and --token-env both given', 'pass the token one way');
      let token = options.token;
      if (options.tokenEnv !== undefined) {
        token = ctx.io.env[options.tokenEnv];
        if (!token) throw new UsageError(`environment variable ${options.tokenEnv} is empty or unset`, `export ${options.tokenEnv}=<token> first`);
      }
      const registry = await openRegistry(ctx);
      const added = await registry.add({
        url,
        ...(options.name !== undefined ? { name: options.name } : {}),
        tags: options.tag,
        ...(token ? { token } : {}),
        ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}),
      });
      if (ctx.json) ctx.printJson({ added });
      else ctx.out(`added ${added.name}  ${added.url}${added.tags.length ? `  tags: ${added.tags.join(',')}` : ''}${added.auth !== 'none' ? `  auth: ${added.auth}` : ''}`);
    });

  workers
    .command('remove')
    .description('remove a worker added with workers add (configured workers are edited in the config file)')
    .argument('<name>', 'the worker name, as workers list shows it')
    .option('--json', 'print JSON')
    .action(async (name: string, _options, command: Command) => {
      const ctx = setup.context(command);
      const registry = await openRegistry(ctx);
      await registry.remove(name);
      if (ctx.json) ctx.printJson({ removed: name });
      else ctx.out(`removed ${name}`);
    });
}

async function openRegistry(ctx: CliContext): Promise<WorkerRegistry> {
  const { config, file } = ctx.loadConfig();
  const { WorkerRegistry, workersFile } = await import('../../workers/index.js');
  return WorkerRegistry.open({
    file: workersFile(path.resolve(ctx.io.cwd, config.paths.dataDir)),
    configured: config.workers,
    ...(file ? { configFile: file } : {}),
  });
}

/** One health check of every worker (concurrently), remembered as its last known health. */
async function probeAll(registry: WorkerRegistry, timeoutMs: number): Promise<void> {
  const { HealthMonitor, toEndpoint } = await import('../../workers/index.js');
  const monitor = new HealthMonitor({ timeoutMs });
  for (const entry of registry.entries()) monitor.add({ name: entry.name, endpoint: toEndpoint(entry), maxQueued: entry.maxQueued });
  const results = await monitor.checkAll();
  const checkedAt = new Date().toISOString();
  const seen: Record<string, LastKnownHealth> = {};
  for (const health of results) {
    const device = health.stats?.devices[0];
    const version = health.stats?.system.comfyui_version;
    seen[health.name] = {
      state: health.state,
      checkedAt,
      reason: health.reason,
      ...(device ? { gpuName: device.name, vramTotalBytes: device.vram_total, vramFreeBytes: device.vram_free } : {}),
      ...(version ? { comfyuiVersion: version } : {}),
    };
  }
  await registry.recordHealth(seen);
}

function formatWorkerTable(workers: WorkerSummary[]): string[] {
  const rows = workers.map((w) => {
    const seen = w.lastKnown;
    const vram = seen?.vramTotalBytes !== undefined ? `${gib(seen.vramFreeBytes ?? 0)}/${gib(seen.vramTotalBytes)} free` : '-';
    return [
      w.name,
      w.source,
      w.url,
      seen ? seen.state : 'unknown',
      seen?.gpuName ? cleanGpu(seen.gpuName) : '-',
      vram,
      w.tags.length ? w.tags.join(',') : '-',
      w.auth,
      seen ? seen.checkedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : 'never',
    ];
  });
  const header = ['NAME', 'SOURCE', 'URL', 'HEALTH', 'GPU', 'VRAM', 'TAGS', 'AUTH', 'CHECKED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync" → "NVIDIA GeForce RTX 4090". */
function cleanGpu(name: string): string {
  return name.replace(/^cuda:\d+\s+/, '').replace(/\s+:\s+\S+$/, '');
}

function collectValues(value: string, previous: string[]): string[] {
  return [...previous, value];
}
