import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { exampleModels } from '../../src/demo/example-graphs.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { cli, tempDir } from './support/run-cli.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/graphs/', import.meta.url));

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('run --sim', () => {
  it('saves every output and prints "<sha256>  <path>" lines that match the files', async () => {
    const cwd = tempDir();
    const run = await cli(['run', join(EXAMPLES, 'keyframe-sd15.json'), '--sim', '--time-scale', '0.01', '--out', 'renders'], { cwd });
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const [digest, path] = lines[0]!.split('  ');
    expect(path).toMatch(/^renders\/storycore\/keyframe_\d+_\.png$/);
    const file = resolve(cwd, path!);
    expect(sha256(file)).toBe(digest);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    // Progress went to stderr, naming nodes and sampler steps.
    expect(run.stderr).toContain('node 3 (KSampler) step 20/20');
  });

  it('--json reports each file with kind, bytes and sha256', async () => {
    const cwd = tempDir();
    const run = await cli(['run', join(EXAMPLES, 'clip-from-frames.json'), '--sim', '--time-scale', '0.01', '--out', 'o', '--json'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { promptId: string; files: Array<{ kind: string; path: string; bytes: number; sha256: string }> };
    expect(report.files).toHaveLength(1);
    const [clip] = report.files;
    expect(clip!.kind).toBe('video');
    expect(clip!.path.endsWith('.mp4')).toBe(true);
    expect(statSync(clip!.path).size).toBe(clip!.bytes);
    expect(sha256(clip!.path)).toBe(clip!.sha256);
  });

  it('a graph the emulator rejects fails with one line and exit code 4', async () => {
    const cwd = tempDir();
    const graph = JSON.parse(readFileSync(join(EXAMPLES, 'keyframe-sd15.json'), 'utf8')) as Record<string, { inputs: Record<string, unknown> }>;
    graph['4']!.inputs.ckpt_name = 'not-installed.safetensors';
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(cwd, 'g.json'), JSON.stringify(graph));
    const run = await cli(['run', 'g.json', '--sim', '--time-scale', '0.01'], { cwd });
    expect(run.code).toBe(4);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('not-installed.safetensors');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('run with a full /prompt request body', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, timeScale: 0, models: exampleModels() });
  });
  afterAll(async () => {
    await emulator.close();
  });

  function requestFile(fields: Record<string, unknown>): string {
    const cwd = tempDir();
    const graph = JSON.parse(readFileSync(join(EXAMPLES, 'keyframe-sd15.json'), 'utf8')) as Record<string, unknown>;
    graph['10'] = { class_type: 'PreviewImage', inputs: { images: ['8', 0] } };
    writeFileSync(join(cwd, 'request.json'), JSON.stringify({ prompt: graph, ...fields }));
    return cwd;
  }

  it('passes prompt_id, number, extra_data and partial_execution_targets to the worker', async () => {
    const promptId = '6f1c2a0e-1d5b-4c1e-9a51-6e3f4b2a7c10';
    const cwd = requestFile({
      prompt_id: promptId,
      number: 42,
      client_id: 'not-ours',
      extra_data: { extra_pnginfo: { workflow: { note: 'kept' } }, client_id: 'not-ours' },
      partial_execution_targets: ['9'],
    });
    const run = await cli(['run', 'request.json', '--worker', emulator.url, '--json', '--out', 'o'], { cwd });
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { promptId: string }).promptId).toBe(promptId);
    const history = (await (await fetch(`${emulator.url}/history/${promptId}`)).json()) as Record<string, { prompt: unknown[]; outputs: Record<string, unknown> }>;
    const [number, id, , extraData, outputsToExecute] = history[promptId]!.prompt as [number, string, unknown, Record<string, unknown>, string[]];
    expect(number).toBe(42);
    expect(id).toBe(promptId);
    expect(extraData.extra_pnginfo).toEqual({ workflow: { note: 'kept' } });
    expect(extraData.client_id).not.toBe('not-ours');
    expect(outputsToExecute).toEqual(['9']);
    expect(Object.keys(history[promptId]!.outputs)).toEqual(['9']);
  });

  it('a request field of the wrong type fails with one line naming the field', async () => {
    const cwd = requestFile({ partial_execution_targets: ['99'] });
    const run = await cli(['run', 'request.json', '--worker', emulator.url], { cwd });
    expect(run.code).not.toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('partial_execution_targets names node 99, which is not in the graph');
    const front = await cli(['run', 'request.json', '--worker', emulator.url], { cwd: requestFile({ front: 'yes' }) });
    expect(front.stderr).toContain('front must be true or false');
  });
});

describe('workers check', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, profile: 'rtx4090', timeScale: 0.01 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('prints GPU, VRAM, versions, queue and node count', async () => {
    const run = await cli(['workers', 'check', emulator.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('GPU        NVIDIA GeForce RTX 4090 (cuda:0)');
    expect(run.stdout).toMatch(/VRAM {7}23\.6 GiB total, [\d.]+ GiB free/);
    expect(run.stdout).toContain('ComfyUI    0.38.1');
    expect(run.stdout).toContain('queue      0 running, 0 pending');
    expect(run.stdout).toMatch(/nodes {6}\d{3,} classes/);
  });

  it('--json gives the raw numbers', async () => {
    const run = await cli(['workers', 'check', emulator.url, '--json']);
    const report = JSON.parse(run.stdout) as { gpu: { vramTotal: number; name: string }; nodeClasses: number };
    expect(report.gpu.vramTotal).toBe(25386352640);
    expect(report.nodeClasses).toBeGreaterThan(300);
  });
});

describe('sim', () => {
  it('starts N workers on consecutive ports, serves until stopped, then closes them', async () => {
    let stdout = '';
    let stop: (() => void) | undefined;
    let exit: Promise<number> | undefined;
    const listening = new Promise<Array<{ url: string; port: number }>>((resolveWorkers) => {
      const io: CliIo = {
        stdout: {
          write: (text: string) => {
            stdout += text;
            try {
              resolveWorkers((JSON.parse(stdout) as { workers: Array<{ url: string; port: number }> }).workers);
            } catch {
              // not complete yet
            }
          },
        },
        stderr: { write: () => true },
        env: {},
        cwd: tempDir(),
        onStopSignal: (listener) => {
          stop = () => listener('SIGTERM');
          return () => {};
        },
      };
      exit = runCli(['sim', '--port', '0', '--workers', '2', '--profile', 'h100', '--comfyui', '0.3.64', '--json'], io);
    });
    const workers = await listening;
    expect(workers).toHaveLength(2);
    for (const worker of workers) {
      const stats = (await (await fetch(`${worker.url}/system_stats`)).json()) as { system: { comfyui_version: string }; devices: Array<{ name: string }> };
      expect(stats.devices[0]!.name).toContain('H100');
      expect(stats.system.comfyui_version).toBe('0.3.64');
      expect((await fetch(`${worker.url}/api/jobs`)).status).toBe(404);
    }
    stop!();
    expect(await exit).toBe(0);
    await expect(fetch(`${workers[0]!.url}/system_stats`)).rejects.toThrow();
  });

  it('without --models lists the same model files as run --sim, so the bundled example graph runs on it', async () => {
    let stdout = '';
    let stop: (() => void) | undefined;
    let exit: Promise<number> | undefined;
    const listening = new Promise<Array<{ url: string }>>((resolveWorkers) => {
      const io: CliIo = {
        stdout: {
          write: (text: string) => {
            stdout += text;
            try {
              resolveWorkers((JSON.parse(stdout) as { workers: Array<{ url: string }> }).workers);
            } catch {
              // not complete yet
            }
          },
        },
        stderr: { write: () => true },
        env: {},
        cwd: tempDir(),
        onStopSignal: (listener) => {
          stop = () => listener('SIGTERM');
          return () => {};
        },
      };
      exit = runCli(['sim', '--port', '0', '--time-scale', '0.01', '--json'], io);
    });
    const [worker] = await listening;
    try {
      const run = await cli(['run', join(EXAMPLES, 'keyframe-sd15.json'), '--worker', worker!.url, '--json']);
      expect(run.stderr).not.toContain('missing');
      expect(run.code, run.stdout + run.stderr).toBe(0);
    } finally {
      stop!();
    }
    expect(await exit).toBe(0);
  }, 60_000);
});

describe('sim --comfyui', () => {
  it('refuses a version it does not serve, naming the choices', async () => {
    let stderr = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (t: string) => ((stderr += t), true) }, env: {}, cwd: tempDir(), onStopSignal: () => () => {} };
    expect(await runCli(['sim', '--port', '0', '--comfyui', '0.40'], io)).not.toBe(0);
    expect(stderr.trim()).toBe('error: --comfyui "0.40" is not a ComfyUI version the emulator serves — use --comfyui 0.3.64 or --comfyui current');
  });
});

// `storycore demo` runs the story pipeline now: see test/pipeline/demo.test.ts.
