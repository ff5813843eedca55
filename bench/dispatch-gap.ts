import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateById } from '../src/catalog/templates/registry.js';
import { Dispatcher } from '../src/scheduler/dispatcher/dispatcher.js';
import { dispatchJob } from '../src/scheduler/dispatcher/job-payload.js';
import { WorkerPool } from '../src/scheduler/dispatcher/worker-pool.js';
import { MetricsStore } from '../src/scheduler/metrics/metrics-store.js';
import { quantile } from '../src/scheduler/metrics/summary.js';
import { SqliteJobQueue } from '../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../src/scheduler/router/router.js';
import type { BenchReport } from './report.js';

/**
 * The dispatch gap: how long a GPU waits between the end of one prompt (its
 * `execution_success`) and the start of the next (`execution_start`) on the same worker, from
 * the emulator's own history timestamps. Two emulated workers (each in its own process, so the
 * dispatcher's event loop does not slow them), many short sd15 jobs; ours keeps one prompt
 * queued behind the running one, the baseline submits only after the previous one finished.
 * `npm run bench -- dispatch-gap [--jobs=60] [--time-scale=0.5] [--steps=20] [--rounds=2]`
 */
const self = fileURLToPath(import.meta.url);

async function startEmulatorProcess(name: string, timeScale: number, models: Record<string, string[]>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve-emulator', name, String(timeScale), JSON.stringify(models)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator ${name} exited ${code}`)));
  });
  return { url, child };
}

interface Round {
  mode: 'queued-behind' | 'submit-after-finish';
  gaps: number[];
  makespanMs: number;
}

async function runRound(mode: Round['mode'], urls: Map<string, string>, jobs: number, steps: number): Promise<Round> {
  const dir = await mkdtemp(join(tmpdir(), 'storycore-bench-gap-'));
  const queue = new SqliteJobQueue({ path: join(dir, 'queue.sqlite') });
  const metrics = new MetricsStore(join(dir, 'queue.sqlite'));
  const pool = new WorkerPool({ workers: [...urls].map(([name, url]) => ({ name, endpoint: url })), monitor: { intervalMs: 5_000 } });
  await pool.start();
  const router = new Router({ strategy: 'round_robin', maxQueuedBehindRunning: mode === 'queued-behind' ? 1 : 0 });
  const dispatcher = new Dispatcher({ queue, pool, router, id: `bench-${mode}`, outputDir: join(dir, 'out'), metrics, pollMs: 1_000 });
  // A different prompt per job: nothing is served from ComfyUI's cache except the checkpoint.
  await queue.add(Array.from({ length: jobs }, (_, i) => dispatchJob({ id: `job-${i}`, kind: 'keyframe', payload: { templateId: 'sd15-t2i', params: { seed: i + 1, steps, prompt: `bench shot ${i}`, width: 256, height: 256 } } })));
  const t0 = Date.now();
  dispatcher.start();
  await dispatcher.idle();
  const makespanMs = Date.now() - t0;
  await dispatcher.stop();
  const records = metrics.prompts().filter((r) => r.outcome === 'completed' && r.startedAt !== null && r.finishedAt !== null);
  if (records.length !== jobs) throw new Error(`${mode}: ${records.length} of ${jobs} jobs completed`);
  const gaps: number[] = [];
  for (const worker of urls.keys()) {
    const runs = records.filter((r) => r.worker === worker).sort((a, b) => a.startedAt! - b.startedAt!);
    for (let i = 1; i < runs.length; i++) gaps.push(Math.max(0, runs[i]!.startedAt! - runs[i - 1]!.finishedAt!));
  }
  metrics.close();
  await pool.close();
  await queue.close();
  await rm(dir, { recursive: true, force: true });
  return { mode, gaps, makespanMs };
}

export async function runDispatchGapBench(args: string[]): Promise<BenchReport> {
  const arg = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const jobs = arg('jobs', 60);
  const timeScale = arg('time-scale', 0.5);
  const steps = arg('steps', 20);
  const rounds = arg('rounds', 2);
  const models: Record<string, string[]> = {};
  for (const m of templateById('sd15-t2i').requirements({}).models) (models[m.folder] ??= []).push(m.file);
  const emulators = await Promise.all(['gpu-a', 'gpu-b'].map(async (name) => [name, await startEmulatorProcess(name, timeScale, models)] as const));
  const urls = new Map(emulators.map(([name, e]) => [name, e.url]));
  try {
    const results: Round[] = [];
    // Alternate the modes so drift (page cache, JIT) hits both alike.
    for (let r = 0; r < rounds; r++) {
      results.push(await runRound('submit-after-finish', urls, jobs, steps));
      results.push(await runRound('queued-behind', urls, jobs, steps));
    }
    const pooled = (mode: Round['mode']) => {
      const mine = results.filter((r) => r.mode === mode);
      const gaps = mine.flatMap((r) => r.gaps).sort((a, b) => a - b);
      return { gaps, p50: quantile(gaps, 0.5), p99: quantile(gaps, 0.99), makespan: mine.reduce((s, r) => s + r.makespanMs, 0) / mine.length };
    };
    const ours = pooled('queued-behind');
    const base = pooled('submit-after-finish');
    const ratio = base.p50 / Math.max(ours.p50, 0.5);
    const row = (mode: string, p: ReturnType<typeof pooled>) => ({ mode, gaps: p.gaps.length, 'gap p50 ms': p.p50, 'gap p99 ms': p.p99, 'mean makespan ms': Math.round(p.makespan) });
    return {
      name: 'dispatch-gap',
      description: `${jobs} sd15 jobs (${steps} steps, 256², time scale ${timeScale}) on 2 emulated workers, ${rounds} rounds per mode: GPU idle time between prompts (execution_success → next execution_start)`,
      rows: [row('queued-behind (ours)', ours), row('submit-after-finish', base)],
      goals: [
        { metric: 'gap p50 baseline/ours', value: ratio, goal: '>= 5', ok: ratio >= 5 },
        { metric: 'makespan ours/baseline', value: ours.makespan / base.makespan, goal: '< 1', ok: ours.makespan < base.makespan },
      ],
      data: { ours: { p50: ours.p50, p99: ours.p99, makespanMs: ours.makespan, gaps: ours.gaps }, baseline: { p50: base.p50, p99: base.p99, makespanMs: base.makespan, gaps: base.gaps }, jobs, timeScale, steps, rounds },
    };
  } finally {
    for (const [, e] of emulators) e.child.kill('SIGTERM');
  }
}

if (process.argv[2] === '--serve-emulator') {
  const [, , , name, timeScale, models] = process.argv;
  const { startEmulator } = await import('../src/sim/index.js');
  const emulator = await startEmulator({ name: name!, timeScale: Number(timeScale), models: JSON.parse(models!) as Record<string, string[]> });
  process.stdout.write(`READY ${emulator.url}\n`);
  process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
}
