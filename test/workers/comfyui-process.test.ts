import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GPU_PROFILES } from '../../src/catalog/cost/gpu-profiles.js';
import { LocalComfyui, type LocalComfyuiOptions } from '../../src/workers/comfyui/local-comfyui.js';
import { pidFile, readPidRecord, writePidRecord } from '../../src/workers/comfyui/pid-file.js';
import { isOurProcess } from '../../src/workers/comfyui/process-liveness.js';
import { freePortBase } from './support/free-port.js';

const FAKE_DIR = fileURLToPath(new URL('./fake-comfyui/', import.meta.url));
const FAKE_PYTHON = path.join(FAKE_DIR, 'python');

let dataDir: string;
let portBase: number;
let helpLog: string;
const started: LocalComfyui[] = [];

function local(extra: Partial<LocalComfyuiOptions> = {}, env: Record<string, string> = {}): LocalComfyui {
  const instance = new LocalComfyui({
    comfyDir: FAKE_DIR,
    python: FAKE_PYTHON,
    dataDir,
    portBase,
    env: { ...process.env, FAKE_COMFYUI_HELP_LOG: helpLog, ...env },
    readyTimeoutMs: 60_000,
    stopTimeoutMs: 10_000,
    pollMs: 100,
    ...extra,
  });
  started.push(instance);
  return instance;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'storycore-comfyui-'));
  helpLog = path.join(dataDir, 'help-calls.log');
  portBase = await freePortBase(4);
});

afterAll(async () => {
  // Whatever a failed test left running: SIGKILL by recorded pid, then remove the data dir.
  for (const gpu of [0, 1, 2, 3]) {
    const record = await readPidRecord(dataDir, gpu);
    if (record && isOurProcess(record)) {
      try {
        process.kill(-record.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('local ComfyUI processes (fake ComfyUI = emulator behind ComfyUI\'s command line)', () => {
  it('start → status → start again → stop: pid file, log, dropped flags, VRAM in status', async () => {
    const comfy = local({ now: () => Date.now() });
    const result = await comfy.start({ gpu: 0, profile: 'rtx4090' });
    expect(result).toMatchObject({ gpu: 0, port: portBase, url: `http://127.0.0.1:${portBase}`, profile: 'rtx4090', alreadyRunning: false });
    // The fake lists a newer ComfyUI's flags: no --normalvram there.
    expect(result.dropped.map((f) => f.flag)).toEqual(['--normalvram']);
    expect(result.command).toEqual(expect.arrayContaining(['--cuda-device', '0', '--port', String(portBase), '--use-sage-attention']));
    expect(result.command).not.toContain('--normalvram');

    const record = await readPidRecord(dataDir, 0);
    expect(record).toMatchObject({ pid: result.pid, port: portBase, profile: 'rtx4090', command: result.command });
    const log = await readFile(path.join(dataDir, 'comfyui', 'gpu0.log'), 'utf8');
    expect(log).toContain('left out flags this ComfyUI does not accept: --normalvram');
    expect(log).toContain('To see the GUI go to:');

    const [status] = await comfy.status();
    expect(status).toMatchObject({ gpu: 0, running: true, stale: false, pid: result.pid, port: portBase, health: 'healthy', gpuName: GPU_PROFILES.rtx4090.deviceName, vramTotalBytes: GPU_PROFILES.rtx4090.vramBytes });
    expect(status?.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(status?.vramFreeBytes).toBeGreaterThan(0);

    const again = await comfy.start({ gpu: 0, profile: 'rtx4090' });
    expect(again).toMatchObject({ alreadyRunning: true, pid: result.pid });

    const logs = await comfy.logs({ gpu: 0, lines: 3 });
    expect(logs.lines).toHaveLength(3);

    const stopped = await comfy.stop({ gpu: 0 });
    expect(stopped).toMatchObject({ wasRunning: true, signal: 'SIGINT', pid: result.pid });
    expect(isOurProcess({ pid: result.pid, port: portBase })).toBe(false);
    expect(existsSync(pidFile(dataDir, 0))).toBe(false);
    expect(await comfy.status({ gpu: 0 })).toEqual([expect.objectContaining({ running: false, stale: false, health: 'stopped' })]);
    expect(await readFile(path.join(dataDir, 'comfyui', 'gpu0.log'), 'utf8')).toContain('Stopped server');
  });

  it('reads --help once per ComfyUI dir and version stamp (cached across starts)', async () => {
    const comfy = local();
    await comfy.start({ gpu: 0, profile: 'default' });
    await comfy.stop({ gpu: 0 });
    const calls = (await readFile(helpLog, 'utf8')).trim().split('\n');
    expect(calls).toHaveLength(1);
    const cache = JSON.parse(await readFile(path.join(dataDir, 'comfyui', 'help-cache.json'), 'utf8')) as Record<string, { flags: string[] }>;
    expect(cache[path.resolve(FAKE_DIR)]?.flags).toContain('--cuda-device');
    expect(cache[path.resolve(FAKE_DIR)]?.flags).not.toContain('--normalvram');
  });

  it('a process that ignores SIGINT is killed with SIGKILL after the stop timeout; profile env reaches it', async () => {
    const comfy = local({ stopTimeoutMs: 1_500 }, { FAKE_COMFYUI_IGNORE_SIGINT: '1' });
    const result = await comfy.start({ gpu: 1, profile: 'l40s' });
    expect(result.port).toBe(portBase + 1);
    const log = path.join(dataDir, 'comfyui', 'gpu1.log');
    expect(await readFile(log, 'utf8')).toContain('PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True');
    expect((await comfy.status({ gpu: 1 }))[0]).toMatchObject({ running: true, health: 'healthy' });

    const stopped = await comfy.stop({ gpu: 1 });
    expect(stopped).toMatchObject({ wasRunning: true, signal: 'SIGKILL' });
    expect(isOurProcess({ pid: result.pid, port: result.port })).toBe(false);
    expect(await readFile(log, 'utf8')).toContain('got SIGINT, ignoring it');
    expect((await comfy.status({ gpu: 1 }))[0]).toMatchObject({ running: false, health: 'stopped' });
  });

  it('detects a stale pid file (process gone) in status and removes it on stop', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writePidRecord(dataDir, { pid: dead, gpu: 2, port: portBase + 2, profile: 'rtx3090', startedAt: new Date().toISOString(), command: ['python', 'main.py'], cwd: FAKE_DIR, logFile: '/tmp/x.log' });
    const comfy = local();
    expect((await comfy.status({ gpu: 2 }))[0]).toMatchObject({ running: false, stale: true, pid: dead });
    expect(await comfy.stop({ gpu: 2 })).toMatchObject({ wasRunning: false, staleRemoved: true });
    expect(existsSync(pidFile(dataDir, 2))).toBe(false);
  });

  it('a pid reused by another program is not ours', () => {
    // This test process is alive but its command line has no --port <port>.
    expect(isOurProcess({ pid: process.pid, port: portBase })).toBe(false);
  });

  it('a ComfyUI that dies at startup fails start with its last log lines', async () => {
    const comfy = local({}, { FAKE_COMFYUI_FAIL: '1' });
    const error = await comfy.start({ gpu: 3, profile: 'default' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'COMFYUI_START_FAILED', gpu: 3 });
    const { message, lastLines } = error as { message: string; lastLines: string[] };
    expect(message).toContain('exited with code 1 before answering');
    expect(lastLines.join('\n')).toContain('RuntimeError: Found no NVIDIA driver on your system.');
    expect(existsSync(pidFile(dataDir, 3))).toBe(false);
  });

  it('refuses an unknown profile, a missing ComfyUI dir, and a port already in use', async () => {
    await expect(local().start({ gpu: 0, profile: 'tpu' })).rejects.toMatchObject({ code: 'COMFYUI_PROFILE_UNKNOWN' });
    await expect(local({ comfyDir: undefined }).start({ gpu: 0, profile: 'default' })).rejects.toMatchObject({ code: 'COMFYUI_NOT_CONFIGURED' });
    await expect(local({ comfyDir: dataDir }).start({ gpu: 0, profile: 'default' })).rejects.toMatchObject({ code: 'COMFYUI_NOT_CONFIGURED', message: expect.stringContaining('no main.py') });
    const { startEmulator } = await import('../../src/sim/index.js');
    const squatter = await startEmulator({ timeScale: 0, port: portBase + 3 });
    try {
      await expect(local().start({ gpu: 3, profile: 'default' })).rejects.toMatchObject({ code: 'COMFYUI_START_FAILED', message: expect.stringContaining('already in use') });
    } finally {
      await squatter.close();
    }
  });
});
