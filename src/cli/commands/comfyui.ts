import path from 'node:path';
import type { Command } from 'commander';
import type { LocalComfyui, ProcessStatus } from '../../workers/comfyui/index.js';
import type { CommandSetup } from '../command-setup.js';
import type { CliContext } from '../context.js';
import { collectGpu, integerIn, port, seconds } from '../option-parsers.js';

interface CommonOptions {
  gpu: number[];
  portBase: number;
}

/**
 * `storycore comfyui …`: the ComfyUI processes StoryCore runs on this machine, one per GPU,
 * from `paths.comfyui.dir` with `paths.comfyui.python`.
 */
export function registerComfyui(program: Command, setup: CommandSetup): void {
  const comfyui = program.command('comfyui').description('start, stop and inspect local ComfyUI processes (one per GPU)');
  const gpuOption = (cmd: Command, what: string): Command =>
    cmd
      .option('--gpu <n>', `${what} (repeatable)`, collectGpu, [])
      .option('--port-base <port>', 'GPU N listens on port-base + N', port, 8188);

  gpuOption(comfyui.command('start').description('launch ComfyUI on a GPU and wait until it answers'), 'GPU index to start on; default 0')
    .option('--profile <profile>', 'launch profile (storycore comfyui profiles)', 'default')
    .option('--timeout <seconds>', 'how long to wait for ComfyUI to answer', seconds, 180)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore comfyui start --profile rtx4090
  $ storycore comfyui start --gpu 0 --gpu 1 --profile h100 --set paths.comfyui.dir=/opt/ComfyUI`,
    )
    .action(async (options: CommonOptions & { profile: string; timeout: number }, command: Command) => {
      const ctx = setup.context(command);
      const local = await localComfyui(ctx, options, { readyTimeoutMs: options.timeout * 1000 });
      local.assertConfigured();
      const results = [];
      for (const gpu of gpusOr(options.gpu, [0])) {
        ctx.info(`GPU ${gpu}: starting ComfyUI (profile ${options.profile}) on port ${local.portFor(gpu)}; waiting for /system_stats to answer (gives up after ${options.timeout} s, --timeout)…`);
        const result = await local.start({ gpu, profile: options.profile });
        results.push(result);
        for (const flag of result.dropped) ctx.info(`GPU ${gpu}: left out ${flag.flag}: this ComfyUI does not accept it`);
        if (result.alreadyRunning && result.profile !== options.profile) {
          ctx.info(`GPU ${gpu}: runs with profile ${result.profile}; switch with storycore comfyui restart --gpu ${gpu} --profile ${options.profile}`);
        }
        if (!ctx.json) ctx.out(`GPU ${gpu}: ${result.alreadyRunning ? 'already running' : 'started'}, pid ${result.pid}, ${result.url} (profile ${result.profile})`);
      }
      if (ctx.json) ctx.printJson({ started: results });
    });

  gpuOption(comfyui.command('stop').description('stop ComfyUI: SIGINT, then SIGKILL if it does not exit in time'), 'GPU index to stop; default every running one')
    .option('--timeout <seconds>', 'how long to wait after SIGINT before SIGKILL', seconds, 15)
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions & { timeout: number }, command: Command) => {
      const ctx = setup.context(command);
      const local = await localComfyui(ctx, options, { stopTimeoutMs: options.timeout * 1000 });
      const results = [];
      for (const gpu of gpusOr(options.gpu, await local.recordedGpus())) {
        const result = await local.stop({ gpu });
        results.push(result);
        if (ctx.json) continue;
        if (result.wasRunning) ctx.out(`GPU ${gpu}: stopped pid ${result.pid}${result.signal === 'SIGKILL' ? ' (did not exit on SIGINT: killed)' : ''}`);
        else ctx.out(`GPU ${gpu}: not running${result.staleRemoved ? ' (removed a stale pid file)' : ''}`);
      }
      if (ctx.json) ctx.printJson({ stopped: results });
      else if (results.length === 0) ctx.info('no ComfyUI started by StoryCore is running');
    });

  gpuOption(comfyui.command('restart').description('stop, then start again with the same (or another) profile'), 'GPU index to restart; default every recorded one, else 0')
    .option('--profile <profile>', 'launch profile; default the one it was started with')
    .option('--timeout <seconds>', 'how long to wait for ComfyUI to answer', seconds, 180)
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions & { profile?: string; timeout: number }, command: Command) => {
      const ctx = setup.context(command);
      const local = await localComfyui(ctx, options, { readyTimeoutMs: options.timeout * 1000 });
      local.assertConfigured();
      const recorded = await local.recordedGpus();
      const results = [];
      for (const gpu of gpusOr(options.gpu, recorded.length > 0 ? recorded : [0])) {
        const result = await local.restart({ gpu, ...(options.profile ? { profile: options.profile } : {}) });
        results.push(result);
        for (const flag of result.dropped) ctx.info(`GPU ${gpu}: left out ${flag.flag}: this ComfyUI does not accept it`);
        if (!ctx.json) ctx.out(`GPU ${gpu}: restarted, pid ${result.pid}, ${result.url} (profile ${result.profile})`);
      }
      if (ctx.json) ctx.printJson({ started: results });
    });

  gpuOption(comfyui.command('status').description('pid, uptime, port, health and VRAM of each local ComfyUI'), 'GPU index to show; default every recorded one')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions, command: Command) => {
      const ctx = setup.context(command);
      const local = await localComfyui(ctx, options);
      const statuses = (await Promise.all(gpusOr(options.gpu, await local.recordedGpus()).map((gpu) => local.status({ gpu })))).flat();
      if (ctx.json) ctx.printJson({ processes: statuses });
      else if (statuses.length === 0) ctx.info('no ComfyUI started by StoryCore (storycore comfyui start)');
      else for (const line of formatStatus(statuses)) ctx.out(line);
    });

  gpuOption(comfyui.command('logs').description('the last lines of a local ComfyUI\'s log'), 'GPU index; default 0')
    .option('-n, --lines <n>', 'how many lines', integerIn(1, 100_000), 50)
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions & { lines: number }, command: Command) => {
      const ctx = setup.context(command);
      const local = await localComfyui(ctx, options);
      const logs = [];
      for (const gpu of gpusOr(options.gpu, [0])) logs.push({ gpu, ...(await local.logs({ gpu, lines: options.lines })) });
      if (ctx.json) ctx.printJson({ logs });
      else {
        for (const log of logs) {
          if (logs.length > 1) ctx.out(`==> GPU ${log.gpu}: ${log.file} <==`);
          if (log.lines.length === 0) ctx.info(`GPU ${log.gpu}: no log yet (${log.file})`);
          for (const line of log.lines) ctx.out(line);
        }
      }
    });

  comfyui
    .command('profiles')
    .description('the launch profiles: ComfyUI flags and environment per GPU kind, with the reason for each')
    .option('--json', 'print JSON')
    .action(async (_options, command: Command) => {
      const ctx = setup.context(command);
      const { LAUNCH_PROFILES, LAUNCH_PROFILE_IDS, baseFlags } = await import('../../workers/comfyui/index.js');
      const always = baseFlags({ port: 8188, gpu: 0 });
      if (ctx.json) {
        ctx.printJson({ always, profiles: LAUNCH_PROFILE_IDS.map((id) => LAUNCH_PROFILES[id]) });
        return;
      }
      const item = (name: string, reason: string): string => `  ${name.padEnd(44)} ${reason}`;
      ctx.out('always (GPU N on port-base + N):');
      for (const f of always) ctx.out(item([f.flag, ...(f.values ?? [])].join(' '), f.reason));
      for (const id of LAUNCH_PROFILE_IDS) {
        const profile = LAUNCH_PROFILES[id];
        ctx.out('');
        ctx.out(`${id}: ${profile.description}`);
        if (profile.flags.length === 0 && profile.env.length === 0) ctx.out('  (no extra flags)');
        for (const f of profile.flags) ctx.out(item([f.flag, ...(f.values ?? [])].join(' '), f.reason));
        for (const e of profile.env) ctx.out(item(`${e.name}=${e.value}`, e.reason));
      }
      ctx.out('');
      ctx.out('Flags a ComfyUI version does not list in `python main.py --help` are left out at start (e.g. --normalvram in newer ComfyUI).');
    });
}

async function localComfyui(
  ctx: CliContext,
  options: CommonOptions,
  timeouts: { readyTimeoutMs?: number; stopTimeoutMs?: number } = {},
): Promise<LocalComfyui> {
  const { config } = ctx.loadConfig();
  const { LocalComfyui } = await import('../../workers/comfyui/index.js');
  const comfy = config.paths.comfyui;
  return new LocalComfyui({
    comfyDir: comfy.dir === undefined ? undefined : path.resolve(ctx.io.cwd, comfy.dir),
    // A relative interpreter path (venv/bin/python) is relative to where the user runs us; a bare name is looked up on PATH.
    python: comfy.python.includes('/') ? path.resolve(ctx.io.cwd, comfy.python) : comfy.python,
    dataDir: path.resolve(ctx.io.cwd, config.paths.dataDir),
    portBase: options.portBase,
    env: ctx.io.env,
    ...timeouts,
  });
}

function gpusOr(given: number[], fallback: number[]): number[] {
  return given.length > 0 ? [...new Set(given)] : fallback;
}

function formatStatus(statuses: ProcessStatus[]): string[] {
  const rows = statuses.map((s) => [
    String(s.gpu),
    s.running ? String(s.pid) : s.stale ? `${s.pid ?? '-'} (stale)` : '-',
    s.port !== undefined ? String(s.port) : '-',
    s.profile ?? '-',
    s.uptimeMs !== undefined ? formatUptime(s.uptimeMs) : '-',
    s.health,
    s.gpuName ? s.gpuName.replace(/^cuda:\d+\s+/, '').replace(/\s+:\s+\S+$/, '') : '-',
    s.vramTotalBytes !== undefined ? `${gib(s.vramFreeBytes ?? 0)}/${gib(s.vramTotalBytes)} free` : '-',
  ]);
  const header = ['GPU', 'PID', 'PORT', 'PROFILE', 'UPTIME', 'HEALTH', 'DEVICE', 'VRAM'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
