import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { readPidRecord } from '../../src/workers/comfyui/pid-file.js';
import { isOurProcess } from '../../src/workers/comfyui/process-liveness.js';
import { freePortBase } from './support/free-port.js';

const FAKE_DIR = fileURLToPath(new URL('./fake-comfyui/', import.meta.url));

let cwd: string;
let emulator: Emulator;

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...process.env, STORYCORE_CONFIG: path.join(cwd, 'storycore.config.yaml') },
    cwd,
    onStopSignal: () => () => {},
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'storycore-cli-workers-'));
  await writeFile(
    path.join(cwd, 'storycore.config.yaml'),
    [
      'workers:',
      '  - name: studio',
      '    url: http://127.0.0.1:9',
      '    auth: { type: bearer, token: config-token-xyz }',
      'paths:',
      '  dataDir: data',
      '  comfyui:',
      `    dir: ${JSON.stringify(FAKE_DIR)}`,
      `    python: ${JSON.stringify(path.join(FAKE_DIR, 'python'))}`,
      '',
    ].join('\n'),
  );
  emulator = await startEmulator({ timeScale: 0, profile: 'h100' });
});

afterAll(async () => {
  await emulator.close();
  for (const gpu of [0, 1]) {
    const record = await readPidRecord(path.join(cwd, 'data'), gpu);
    if (record && isOurProcess(record)) process.kill(-record.pid, 'SIGKILL');
  }
  await rm(cwd, { recursive: true, force: true });
});

describe('storycore workers add | list | remove', () => {
  it('adds a worker with a token that is stored but never printed; list probes health and GPU', async () => {
    const added = await cli('workers', 'add', emulator.url, '--name', 'sim-h100', '--tag', 'video', '--token', 'tok-SECRET-123', '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).added).toMatchObject({ name: 'sim-h100', url: emulator.url, tags: ['video'], auth: 'bearer', source: 'local' });
    expect(added.stdout).not.toContain('tok-SECRET-123');
    expect(await readFile(path.join(cwd, 'data', 'workers.json'), 'utf8')).toContain('tok-SECRET-123');

    const listed = await cli('workers', 'list', '--json', '--timeout', '2');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain('tok-SECRET-123');
    expect(listed.stdout).not.toContain('config-token-xyz');
    const workers = JSON.parse(listed.stdout).workers as Array<{ name: string; lastKnown?: { state: string; gpuName?: string } }>;
    expect(workers.map((w) => w.name)).toEqual(['studio', 'sim-h100']);
    expect(workers[0]?.lastKnown?.state).toBe('down');
    expect(workers[1]?.lastKnown).toMatchObject({ state: 'healthy', gpuName: expect.stringContaining('H100') });

    // Without probing, the last known health is shown from the file.
    const table = await cli('workers', 'list', '--no-probe');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/NAME\s+SOURCE\s+URL\s+HEALTH\s+GPU/);
    expect(table.stdout).toMatch(/sim-h100\s+local\s+\S+\s+healthy\s+NVIDIA H100 80GB HBM3/);
    expect(table.stdout).not.toContain('tok-SECRET-123');
  });

  it('rejects duplicates, bad URLs and removing configured or unknown workers with typed errors', async () => {
    const dup = await cli('workers', 'add', 'http://127.0.0.1:7001', '--name', 'sim-h100', '--json');
    expect(JSON.parse(dup.stdout).error).toMatchObject({ code: 'WORKER_DUPLICATE' });
    expect(dup.code).not.toBe(0);
    const bad = await cli('workers', 'add', 'ftp://x:1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'ftp://x:1' is not a worker URL");
    const configured = await cli('workers', 'remove', 'studio', '--json');
    expect(JSON.parse(configured.stdout).error).toMatchObject({ code: 'WORKER_IN_CONFIG' });
    const unknown = await cli('workers', 'remove', 'ghost');
    expect(unknown.stderr).toMatch(/^error: no worker named 'ghost' — known workers: studio, sim-h100/);

    const removed = await cli('workers', 'remove', 'sim-h100');
    expect(removed).toMatchObject({ code: 0, stdout: 'removed sim-h100\n' });
    const after = JSON.parse((await cli('workers', 'list', '--no-probe', '--json')).stdout).workers as Array<{ name: string }>;
    expect(after.map((w) => w.name)).toEqual(['studio']);
  });
});

describe('storycore comfyui', () => {
  it('profiles prints each flag with its reason', async () => {
    const { code, stdout } = await cli('comfyui', 'profiles');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^rtx4090: 24 GB Ada desktop card$/m);
    expect(stdout).toMatch(/--normalvram\s+24 GB holds SDXL/);
    expect(stdout).toMatch(/PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True\s+a long-running server/);
    const json = JSON.parse((await cli('comfyui', 'profiles', '--json')).stdout) as { profiles: Array<{ id: string }> };
    expect(json.profiles.map((p) => p.id)).toEqual(['default', 'cpu', 'rtx3090', 'rtx4090', 'rtx5090', 'l40s', 'a100-80g', 'h100']);
  });

  it('start → status → logs → stop through the CLI', async () => {
    const base = String(await freePortBase(2));
    const start = await cli('comfyui', 'start', '--gpu', '1', '--profile', 'rtx3090', '--port-base', base);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(new RegExp(`^GPU 1: started, pid \\d+, http://127.0.0.1:${Number(base) + 1} \\(profile rtx3090\\)`));
    expect(start.stderr).toContain('left out --normalvram');
    // A long wait says what it waits for and how long at most (issue 9 item 6).
    expect(start.stderr).toContain(`GPU 1: starting ComfyUI (profile rtx3090) on port ${Number(base) + 1}; waiting for /system_stats to answer (gives up after 180 s, --timeout)`);

    const status = await cli('comfyui', 'status', '--json');
    const [proc] = JSON.parse(status.stdout).processes as Array<Record<string, unknown>>;
    expect(proc).toMatchObject({ gpu: 1, running: true, health: 'healthy', port: Number(base) + 1, profile: 'rtx3090', gpuName: expect.stringContaining('RTX 4090') });
    const table = await cli('comfyui', 'status');
    expect(table.stdout).toMatch(/^GPU\s+PID\s+PORT\s+PROFILE\s+UPTIME\s+HEALTH\s+DEVICE\s+VRAM/);
    expect(table.stdout).toMatch(/\n1\s+\d+\s+\d+\s+rtx3090\s+\d+s\s+healthy\s+NVIDIA GeForce RTX 4090\s+[\d.]+ GiB\/23\.6 GiB free/);

    const logs = await cli('comfyui', 'logs', '--gpu', '1', '-n', '100');
    expect(logs.stdout).toContain('To see the GUI go to:');

    const stop = await cli('comfyui', 'stop');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/^GPU 1: stopped pid \d+\n$/);
    const again = await cli('comfyui', 'stop', '--gpu', '1');
    expect(again.stdout).toBe('GPU 1: not running\n');
  });

  it('an unknown profile is a one-line typed error', async () => {
    const result = await cli('comfyui', 'start', '--profile', 'tpu-v5', '--json');
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'COMFYUI_PROFILE_UNKNOWN', hint: expect.stringContaining('rtx4090') });
  });
});
