import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config/index.js';
import { generateStory, type GenerateReport } from '../src/engine/generate.js';
import { ProjectSession } from '../src/engine/project-session.js';
import { planStory } from '../src/engine/story-plan.js';
import { saveStory, storyShapeSchema, type StoryInput } from '../src/story/format/index.js';
import type { BenchReport } from './report.js';

const CAMERA = ['wide', 'medium', 'close-up'] as const;

/** A story of `shots` shots in scenes of 10, on the draft preset (SDXL Turbo keyframes, SVD clips at 512×288). */
export function syntheticStory(shots: number): StoryInput {
  const scenes: NonNullable<StoryInput['scenes']> = [];
  for (let s = 0; s * 10 < shots; s++) {
    const count = Math.min(10, shots - s * 10);
    scenes.push({
      id: `scene-${String(s + 1).padStart(2, '0')}`,
      shots: Array.from({ length: count }, (_, i) => {
        const n = s * 10 + i + 1;
        return { id: `shot-${String(n).padStart(3, '0')}`, action: `Shot ${n}: the keeper watches wave number ${n} break on the rocks.`, camera: { size: CAMERA[n % 3]! }, duration: 2 + (n % 4) };
      }),
    });
  }
  return {
    title: `Incremental bench (${shots} shots)`,
    quality: 'draft',
    fps: 12,
    seed: 42,
    scenes,
    render: {
      keyframe: { template: 'sdxl-turbo-t2i', params: { width: 512, height: 288 } },
      clip: { template: 'svd-i2v', params: { width: 512, height: 288, frames: 14, fps: 6, steps: 10 } },
    },
  };
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

async function timedRun(storyPath: string, workers: number, timeScale: number): Promise<{ ms: number; report: GenerateReport; submissions: number }> {
  const started = performance.now();
  const plan = planStory(storyPath, process.cwd());
  const session = await ProjectSession.open({ config: defaultConfig(), plan, cwd: plan.projectDir, sim: { workers, profile: 'rtx4090', timeScale } });
  try {
    const report = await generateStory(session, plan);
    const submissions = (await session.emulators()).reduce((n, e) => n + e.stats.submissions, 0);
    return { ms: performance.now() - started, report, submissions };
  } finally {
    await session.close();
  }
}

/**
 * `npm run bench -- incremental [--shots 100] [--workers 2] [--time-scale 0.005]`: generates a
 * synthetic story once on emulated workers, then again unchanged. The re-run must submit
 * nothing; its time (plan, hash every task, look each up) is compared with the first run's.
 */
export async function runIncrementalBench(args: string[]): Promise<BenchReport> {
  const shots = arg(args, 'shots', 100);
  const workers = arg(args, 'workers', 2);
  const timeScale = arg(args, 'time-scale', 0.005);
  const dir = await mkdtemp(join(tmpdir(), 'storycore-bench-incremental-'));
  try {
    const storyPath = join(dir, 'story.yaml');
    saveStory(storyShapeSchema.parse(syntheticStory(shots)), storyPath, { schema: false });
    const first = await timedRun(storyPath, workers, timeScale);
    const again = await timedRun(storyPath, workers, timeScale);
    const ratio = again.ms / first.ms;
    const row = (name: string, r: typeof first) => ({ run: name, tasks: r.report.tasks.length, ran: r.report.ran, cached: r.report.cached, submissions: r.submissions, seconds: r.ms / 1000 });
    return {
      name: 'incremental',
      description: `${shots}-shot story (${first.report.tasks.length} tasks) on ${workers} emulated workers at time scale ${timeScale}, then re-run unchanged`,
      rows: [row('first', first), row('unchanged re-run', again), { run: 're-run / first', seconds: ratio }],
      goals: [
        { metric: 'submissions on the unchanged re-run', value: again.submissions, goal: '= 0', ok: again.submissions === 0 && again.report.cached === again.report.tasks.length },
        { metric: 're-run time / first run time', value: ratio, goal: '< 0.1', ok: ratio < 0.1 },
      ],
      data: { shots, workers, timeScale, firstMs: first.ms, rerunMs: again.ms, ratio, firstSubmissions: first.submissions, rerunSubmissions: again.submissions },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
