import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { ComfyuiNotConfiguredError } from './errors/comfyui-not-configured-error.js';
import { ComfyuiStartError } from './errors/comfyui-start-error.js';
import { UnknownProfileError } from './errors/unknown-profile-error.js';
import { buildLaunchCommand } from './launch-command.js';
import { lastLines } from './log-tail.js';
import { comfyuiDir, logFile, readPidRecord, recordedGpus, removePidRecord, writePidRecord, type PidRecord } from './pid-file.js';
import { isOurProcess } from './process-liveness.js';
import { isLaunchProfileId, type LaunchFlag, type LaunchProfileId } from './profiles.js';
import { fetchStats, waitUntilReady } from './ready-wait.js';
import { supportedFlags } from './supported-flags.js';
import { ensureDir } from '../../platform/ensure-dir.js';

export interface LocalComfyuiOptions {
  /** `paths.comfyui.dir`: a ComfyUI checkout with main.py. */
  comfyDir: string | undefined;
  /** `paths.comfyui.python`. */
  python: string;
  /** `paths.dataDir`: pid files, logs and the --help cache go to `<dataDir>/comfyui/`. */
  dataDir: string;
  /** GPU N listens on portBase + N. Default 8188. */
  portBase?: number;
  /** The environment the process inherits. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long start waits for /system_stats. Default 180 s (first start compiles and loads torch). */
  readyTimeoutMs?: number;
  /** How long stop waits after SIGINT before SIGKILL. Default 15 s. */
  stopTimeoutMs?: number;
  pollMs?: number;
  now?: () => number;
}

export interface StartResult {
  gpu: number;
  pid: number;
  port: number;
  url: string;
  profile: string;
  alreadyRunning: boolean;
  /** Profile flags this ComfyUI does not accept, left out of the command line. */
  dropped: LaunchFlag[];
  command: string[];
  logFile: string;
}

export interface StopResult {
  gpu: number;
  wasRunning: boolean;
  /** A pid file whose process was gone (or was another program) was removed. */
  staleRemoved: boolean;
  pid?: number;
  /** The signal that ended it: SIGINT (graceful) or SIGKILL (did not stop in time). */
  signal?: 'SIGINT' | 'SIGKILL';
}

export interface ProcessStatus {
  gpu: number;
  running: boolean;
  /** A pid file exists but its process is gone or is not ours. */
  stale: boolean;
  pid?: number;
  port?: number;
  url?: string;
  profile?: string;
  startedAt?: string;
  uptimeMs?: number;
  /** healthy: answers /system_stats; down: running but not answering (starting or hung). */
  health: 'healthy' | 'down' | 'stopped';
  gpuName?: string;
  vramTotalBytes?: number;
  vramFreeBytes?: number;
  comfyuiVersion?: string;
  logFile: string;
}

/**
 * The ComfyUI processes StoryCore runs on this machine: one per GPU, each on portBase + GPU,
 * started detached with its output in `<dataDir>/comfyui/gpu<N>.log` and a pid file beside it.
 *
 * @example
 * const local = new LocalComfyui({ comfyDir: '/opt/ComfyUI', python: '/opt/ComfyUI/venv/bin/python', dataDir: '.storycore' });
 * await local.start({ gpu: 0, profile: 'rtx4090' });
 */
export class LocalComfyui {
  private readonly portBase: number;
  private readonly pollMs: number;

  constructor(private readonly options: LocalComfyuiOptions) {
    this.portBase = options.portBase ?? 8188;
    this.pollMs = options.pollMs ?? 250;
  }

  portFor(gpu: number): number {
    return this.portBase + gpu;
  }

  async start(request: { gpu: number; profile: string }): Promise<StartResult> {
    const profile = checkProfile(request.profile);
    const comfyDir = this.assertConfigured();
    const { gpu } = request;
    const log = logFile(this.options.dataDir, gpu);
    const existing = await readPidRecord(this.options.dataDir, gpu);
    if (existing && isOurProcess(existing)) {
      return { gpu, pid: existing.pid, port: existing.port, url: urlFor(existing.port), profile: existing.profile, alreadyRunning: true, dropped: [], command: existing.command, logFile: existing.logFile };
    }
    if (existing) await removePidRecord(this.options.dataDir, gpu);

    const port = this.portFor(gpu);
    if (await portAnswers(port)) {
      throw new ComfyuiStartError(gpu, `cannot start: port ${port} is already in use by another process`, log, []);
    }
    const env = { ...(this.options.env ?? process.env) };
    const supported = await supportedFlags({
      python: this.options.python,
      comfyDir,
      cacheFile: path.join(comfyuiDir(this.options.dataDir), 'help-cache.json'),
      env,
    });
    const launch = buildLaunchCommand({ python: this.options.python, comfyDir, profile, gpu, port, ...(supported ? { supported } : {}) });
    const command = [launch.command, ...launch.args];

    await ensureDir(comfyuiDir(this.options.dataDir));
    const out = await open(log, 'a');
    const startedAt = new Date(this.now()).toISOString();
    await out.write(`\n=== storycore: starting ComfyUI on GPU ${gpu} at ${startedAt}: ${command.join(' ')}\n`);
    if (launch.dropped.length > 0) await out.write(`=== storycore: left out flags this ComfyUI does not accept: ${launch.dropped.map((f) => f.flag).join(' ')}\n`);

    let child;
    try {
      child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: { ...env, ...launch.env }, detached: true, stdio: ['ignore', out.fd, out.fd] });
      await new Promise<void>((resolve, reject) => {
        child!.once('spawn', resolve);
        child!.once('error', reject);
      });
    } catch (error) {
      await out.close();
      throw new ComfyuiStartError(gpu, `could not be started (${launch.command}): ${(error as Error).message}`, log, []);
    }
    await out.close();
    const pid = child.pid!;
    const record: PidRecord = { pid, gpu, port, profile, startedAt, command, cwd: launch.cwd, logFile: path.resolve(log) };
    await writePidRecord(this.options.dataDir, record);

    const ready = await waitUntilReady({ url: urlFor(port), timeoutMs: this.options.readyTimeoutMs ?? 180_000, pollMs: this.pollMs, child });
    child.unref();
    if (!ready.ok) {
      if (isOurProcess(record)) await this.terminate(record, 'SIGKILL');
      await removePidRecord(this.options.dataDir, gpu);
      throw new ComfyuiStartError(gpu, ready.reason, log, await lastLines(log, 15));
    }
    return { gpu, pid, port, url: urlFor(port), profile, alreadyRunning: false, dropped: launch.dropped, command, logFile: record.logFile };
  }

  /** SIGINT (ComfyUI's Ctrl-C: it finishes cleanly), then SIGKILL after `stopTimeoutMs`. */
  async stop(request: { gpu: number }): Promise<StopResult> {
    const { gpu } = request;
    const record = await readPidRecord(this.options.dataDir, gpu);
    if (!record) {
      const hadFile = (await recordedGpus(this.options.dataDir)).includes(gpu);
      if (hadFile) await removePidRecord(this.options.dataDir, gpu);
      return { gpu, wasRunning: false, staleRemoved: hadFile };
    }
    if (!isOurProcess(record)) {
      await removePidRecord(this.options.dataDir, gpu);
      return { gpu, wasRunning: false, staleRemoved: true, pid: record.pid };
    }
    let signal: 'SIGINT' | 'SIGKILL' = 'SIGINT';
    if (!(await this.terminate(record, 'SIGINT'))) {
      signal = 'SIGKILL';
      await this.terminate(record, 'SIGKILL');
    }
    await removePidRecord(this.options.dataDir, gpu);
    return { gpu, wasRunning: true, staleRemoved: false, pid: record.pid, signal };
  }

  async restart(request: { gpu: number; profile?: string }): Promise<StartResult> {
    const previous = await readPidRecord(this.options.dataDir, request.gpu);
    const profile = request.profile ?? previous?.profile ?? 'default';
    checkProfile(profile);
    await this.stop({ gpu: request.gpu });
    return this.start({ gpu: request.gpu, profile });
  }

  /** GPUs with a pid file (or the one asked for), with process and /system_stats facts. */
  async status(request: { gpu?: number } = {}): Promise<ProcessStatus[]> {
    const gpus = request.gpu !== undefined ? [request.gpu] : await recordedGpus(this.options.dataDir);
    return Promise.all(gpus.map((gpu) => this.statusOf(gpu)));
  }

  async logs(request: { gpu: number; lines: number }): Promise<{ file: string; lines: string[] }> {
    const file = logFile(this.options.dataDir, request.gpu);
    return { file, lines: await lastLines(file, request.lines) };
  }

  /** GPUs that have a pid file (running or stale). */
  recordedGpus(): Promise<number[]> {
    return recordedGpus(this.options.dataDir);
  }

  private async statusOf(gpu: number): Promise<ProcessStatus> {
    const log = path.resolve(logFile(this.options.dataDir, gpu));
    const record = await readPidRecord(this.options.dataDir, gpu);
    if (!record) {
      const stale = (await recordedGpus(this.options.dataDir)).includes(gpu);
      return { gpu, running: false, stale, health: 'stopped', logFile: log };
    }
    const facts = { pid: record.pid, port: record.port, url: urlFor(record.port), profile: record.profile, startedAt: record.startedAt, logFile: record.logFile };
    if (!isOurProcess(record)) return { gpu, running: false, stale: true, health: 'stopped', ...facts };
    const stats = await fetchStats(urlFor(record.port), 2_000);
    const device = stats?.devices[0];
    return {
      gpu,
      running: true,
      stale: false,
      ...facts,
      uptimeMs: Math.max(0, this.now() - Date.parse(record.startedAt)),
      health: stats ? 'healthy' : 'down',
      ...(device ? { gpuName: device.name, vramTotalBytes: device.vram_total, vramFreeBytes: device.vram_free } : {}),
      ...(stats?.system.comfyui_version ? { comfyuiVersion: stats.system.comfyui_version } : {}),
    };
  }

  /** Signals the process group (ComfyUI may have children) and waits; true when it ended. */
  private async terminate(record: PidRecord, signal: 'SIGINT' | 'SIGKILL'): Promise<boolean> {
    try {
      process.kill(-record.pid, signal);
    } catch {
      try {
        process.kill(record.pid, signal);
      } catch {
        return true;
      }
    }
    const deadline = Date.now() + (signal === 'SIGINT' ? (this.options.stopTimeoutMs ?? 15_000) : 5_000);
    while (Date.now() < deadline) {
      if (!isOurProcess(record)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return !isOurProcess(record);
  }

  /** The ComfyUI directory, or a ComfyuiNotConfiguredError saying what to set. */
  assertConfigured(): string {
    const dir = this.options.comfyDir;
    if (!dir) throw new ComfyuiNotConfiguredError('paths.comfyui.dir is not set');
    if (!existsSync(path.join(dir, 'main.py'))) throw new ComfyuiNotConfiguredError(`${dir} has no main.py`);
    return path.resolve(dir);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function checkProfile(profile: string): LaunchProfileId {
  if (!isLaunchProfileId(profile)) throw new UnknownProfileError(profile);
  return profile;
}

function urlFor(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** Whether something already accepts connections on the loopback port. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
