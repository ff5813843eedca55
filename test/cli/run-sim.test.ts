import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
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
    expect(run.stdout).toContain('ComfyUI    0.3.64');
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
      exit = runCli(['sim', '--port', '0', '--workers', '2', '--profile', 'h100', '--json'], io);
    });
    const workers = await listening;
    expect(workers).toHaveLength(2);
    for (const worker of workers) {
      const stats = (await (await fetch(`${worker.url}/system_stats`)).json()) as { devices: Array<{ name: string }> };
      expect(stats.devices[0]!.name).toContain('H100');
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

// `storycore demo` runs the story pipeline now: see test/pipeline/demo.test.ts.
