import { extendedObjectInfo } from '../src/comfy/object-info/extra-nodes.js';
import { Router } from '../src/scheduler/router/router.js';
import { BASELINES } from '../src/scheduler/router/simulation/baselines.js';
import { lowerBound } from '../src/scheduler/router/simulation/lower-bound.js';
import { RouterPolicy } from '../src/scheduler/router/simulation/router-policy.js';
import { simulate, type DispatchPolicy, type SimResult } from '../src/scheduler/router/simulation/simulate.js';
import { pool, storyWorkload } from '../src/scheduler/router/simulation/story-workload.js';
import { STRATEGY_NAMES } from '../src/scheduler/strategies/index.js';
import { LearnedTimings } from '../src/scheduler/timings/learned-timings.js';
import type { BenchReport } from './report.js';

/**
 * `npm run bench -- scheduler [--shots N]`: a 24-shot story (24 Qwen-Image keyframes at
 * 1280×720, then 24 Wan 2.2 14B i2v clips, each after its keyframe) on 1×A100-80G, 1×RTX 5090,
 * 2×RTX 4090, simulated on a virtual clock with the emulator's own executor, cost model and
 * GpuState. Every strategy and five baselines run the same workload from cold GPUs, with no
 * learned timings at the start (strategies learn as they go).
 */
export async function runSchedulerBench(args: string[]): Promise<BenchReport> {
  const shotsArg = args.indexOf('--shots');
  const shots = shotsArg >= 0 ? Number(args[shotsArg + 1]) : 24;
  const objectInfo = extendedObjectInfo();
  const tasks = storyWorkload({ shots });
  const workers = pool(['a100-80g', 'rtx5090', 'rtx4090', 'rtx4090'], tasks);
  const bound = await lowerBound(tasks, workers, objectInfo);

  const policies: DispatchPolicy[] = [
    ...STRATEGY_NAMES.map((s) => new RouterPolicy(new Router({ strategy: s, timings: new LearnedTimings() }))),
    BASELINES.comfyFifo(),
    BASELINES.firstIdle(),
    BASELINES.lowestQueue(),
    BASELINES.roundRobinPush(),
    BASELINES.loadedModelElseLeastUsed(),
  ];
  const results: SimResult[] = [];
  for (const policy of policies) results.push(await simulate({ tasks, workers, policy, objectInfo }));

  const s = (ms: number) => Math.round(ms / 100) / 10;
  const rows = results.map((r) => ({
    policy: r.policy,
    'makespan s': s(r.makespanMs),
    'x lower bound': Math.round((r.makespanMs / bound.lowerBoundMs) * 1000) / 1000,
    loads: r.loads,
    'load s': s(r.loadMs),
    'idle s': s(r.idleMs),
    'tasks per worker': r.perWorker.map((w) => w.tasks).join('/'),
  }));
  rows.push({ policy: 'lower bound (work + 1 load/worker, critical path)', 'makespan s': s(bound.lowerBoundMs), 'x lower bound': 1, loads: workers.length, 'load s': 0, 'idle s': 0, 'tasks per worker': '' });
  rows.push({ policy: 'reference: every worker loads every model once', 'makespan s': s(bound.everyLoadBoundMs), 'x lower bound': Math.round((bound.everyLoadBoundMs / bound.lowerBoundMs) * 1000) / 1000, loads: 0, 'load s': 0, 'idle s': 0, 'tasks per worker': '' });

  const affinity = results.find((r) => r.policy === 'model_affinity')!;
  const baselines = results.filter((r) => r.policy.startsWith('baseline'));
  const bestBaseline = baselines.reduce((a, b) => (b.makespanMs < a.makespanMs ? b : a));
  const vsBound = affinity.makespanMs / bound.lowerBoundMs;
  const vsBaseline = bestBaseline.makespanMs / affinity.makespanMs;
  return {
    name: 'scheduler',
    description: `${shots}-shot story (${shots} qwen-image-t2i 1280×720 keyframes → ${shots} wan22-i2v-14b clips) on ${workers.map((w) => w.name).join(', ')}; virtual clock, emulator cost model; tasks per worker in pool order`,
    rows,
    goals: [
      { metric: 'model_affinity / lower bound', value: vsBound, goal: '<= 1.10', ok: vsBound <= 1.1 },
      { metric: `best baseline (${bestBaseline.policy.replace('baseline: ', '')}) / model_affinity`, value: vsBaseline, goal: '>= 1.4', ok: vsBaseline >= 1.4 },
    ],
    data: {
      workers,
      lowerBound: bound,
      results: results.map((r) => ({ ...r, records: r.records })),
      learnedTimings: (policies[0] as RouterPolicy).router.timings.list(),
    },
  };
}
