import { extendedObjectInfo } from '../src/comfy/object-info/extra-nodes.js';
import type { ObjectInfo } from '../src/comfy/object-info/types.js';
import { Router } from '../src/scheduler/router/router.js';
import { BASELINES } from './simulation/baselines.js';
import { lowerBound, type LowerBound } from './simulation/lower-bound.js';
import { RouterPolicy } from './simulation/router-policy.js';
import { simulate, type DispatchPolicy, type SimResult, type SimTask, type SimWorkerSpec } from './simulation/simulate.js';
import { pool, storyWorkload } from './simulation/story-workload.js';
import { STRATEGY_NAMES, type StrategyName } from '../src/scheduler/strategies/index.js';
import { LearnedTimings } from '../src/scheduler/timings/learned-timings.js';
import { GPU_PROFILES } from '../src/catalog/cost/gpu-profiles.js';
import type { BenchReport } from './report.js';

const GiB = 1024 ** 3;

const baselines = (): DispatchPolicy[] => [BASELINES.comfyFifo(), BASELINES.firstIdle(), BASELINES.lowestQueue(), BASELINES.roundRobinPush(), BASELINES.loadedModelElseLeastUsed()];
const strategy = (s: StrategyName): RouterPolicy => new RouterPolicy(new Router({ strategy: s, timings: new LearnedTimings() }));

async function runAll(policies: DispatchPolicy[], tasks: readonly SimTask[], workers: readonly SimWorkerSpec[], objectInfo: ObjectInfo): Promise<SimResult[]> {
  const results: SimResult[] = [];
  for (const policy of policies) results.push(await simulate({ tasks, workers, policy, objectInfo }));
  return results;
}

const bestBaselineOf = (results: readonly SimResult[]): SimResult => results.filter((r) => r.policy.startsWith('baseline')).reduce((a, b) => (b.makespanMs < a.makespanMs ? b : a));

/** Workstation cards (typical box < 128 GiB) get `ramBytes`; datacenter cards keep theirs. */
function withWorkstationRam(workers: readonly SimWorkerSpec[], ramBytes: number): SimWorkerSpec[] {
  return workers.map((w) => (GPU_PROFILES[w.profile].hostRamBytes < 128 * GiB ? { ...w, hostRamBytes: ramBytes } : w));
}

/**
 * `npm run bench -- scheduler [--shots N] [--ram-gb N]`: a 24-shot story (24 Qwen-Image
 * keyframes at 1280×720, then 24 Wan 2.2 14B i2v clips, each after its keyframe) on
 * 1×A100-80G, 1×RTX 5090, 2×RTX 4090, simulated on a virtual clock with the emulator's own
 * executor, cost model and GpuState (bounded host RAM included). Every strategy and five
 * baselines run the same workload from cold GPUs, with no learned timings at the start
 * (strategies learn as they go). `--ram-gb` sets the RAM of the workstation boxes; the
 * sensitivity rows rerun model_affinity and the baselines with 32 and 128 GiB boxes.
 */
export async function runSchedulerBench(args: string[]): Promise<BenchReport> {
  const arg = (name: string): number | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const shots = arg('--shots') ?? 24;
  const ramGb = arg('--ram-gb');
  const objectInfo = extendedObjectInfo();
  const tasks = storyWorkload({ shots });
  const base = pool(['a100-80g', 'rtx5090', 'rtx4090', 'rtx4090'], tasks);
  const workers = ramGb === undefined ? base : withWorkstationRam(base, ramGb * GiB);
  const bound = await lowerBound(tasks, workers, objectInfo);

  const policies: DispatchPolicy[] = [...STRATEGY_NAMES.map(strategy), ...baselines()];
  const results = await runAll(policies, tasks, workers, objectInfo);

  const s = (ms: number) => Math.round(ms / 100) / 10;
  const x = (ms: number, b: LowerBound) => Math.round((ms / b.lowerBoundMs) * 1000) / 1000;
  const rows: Array<Record<string, string | number>> = results.map((r) => ({
    policy: r.policy,
    'makespan s': s(r.makespanMs),
    'x lower bound': x(r.makespanMs, bound),
    'x issue bound': Math.round((r.makespanMs / bound.everyLoadBoundMs) * 1000) / 1000,
    loads: r.loads,
    'load s': s(r.loadMs),
    'disk s': s(r.diskMs),
    switches: r.switches,
    'idle s': s(r.idleMs),
    'tasks per worker': r.perWorker.map((w) => w.tasks).join('/'),
  }));
  rows.push({ policy: 'lower bound (work + 1 load/worker, critical path)', 'makespan s': s(bound.lowerBoundMs), 'x lower bound': 1, 'x issue bound': Math.round((bound.lowerBoundMs / bound.everyLoadBoundMs) * 1000) / 1000 });
  rows.push({ policy: "issue's bound: work + every worker loads every model once", 'makespan s': s(bound.everyLoadBoundMs), 'x lower bound': x(bound.everyLoadBoundMs, bound), 'x issue bound': 1 });

  // Sensitivity to the host-RAM assumption: the same runs with small and large workstation boxes.
  const sensitivity: Array<{ ramGiB: number; bound: LowerBound; affinity: SimResult; bestBaseline: SimResult }> = [];
  if (ramGb === undefined) {
    for (const ramGiB of [32, 128]) {
      const variant = withWorkstationRam(base, ramGiB * GiB);
      const vBound = await lowerBound(tasks, variant, objectInfo);
      const vResults = await runAll([strategy('model_affinity'), ...baselines()], tasks, variant, objectInfo);
      const affinity = vResults[0]!;
      const best = bestBaselineOf(vResults);
      sensitivity.push({ ramGiB, bound: vBound, affinity, bestBaseline: best });
      const label = `RAM ${ramGiB} GiB on 4090/5090 boxes`;
      for (const r of [affinity, best]) {
        rows.push({ policy: `${label}: ${r.policy}`, 'makespan s': s(r.makespanMs), 'x lower bound': x(r.makespanMs, vBound), 'x issue bound': Math.round((r.makespanMs / vBound.everyLoadBoundMs) * 1000) / 1000, loads: r.loads, 'load s': s(r.loadMs), 'disk s': s(r.diskMs), switches: r.switches, 'idle s': s(r.idleMs), 'tasks per worker': r.perWorker.map((w) => w.tasks).join('/') });
      }
      rows.push({ policy: `${label}: lower bound`, 'makespan s': s(vBound.lowerBoundMs), 'x lower bound': 1, 'x issue bound': Math.round((vBound.lowerBoundMs / vBound.everyLoadBoundMs) * 1000) / 1000 });
    }
  }

  const affinity = results.find((r) => r.policy === 'model_affinity')!;
  const bestBaseline = bestBaselineOf(results);
  const vsBound = affinity.makespanMs / bound.lowerBoundMs;
  const vsIssueBound = affinity.makespanMs / bound.everyLoadBoundMs;
  const vsBaseline = bestBaseline.makespanMs / affinity.makespanMs;
  return {
    name: 'scheduler',
    description: `${shots}-shot story (${shots} qwen-image-t2i 1280×720 keyframes → ${shots} wan22-i2v-14b clips) on ${workers.map((w) => `${w.name} (${((w.hostRamBytes ?? GPU_PROFILES[w.profile].hostRamBytes) / GiB).toFixed(0)} GiB RAM)`).join(', ')}; virtual clock, emulator cost model; tasks per worker in pool order; switches = tasks whose template differs from the worker's previous one`,
    rows,
    goals: [
      { metric: 'model_affinity / lower bound', value: vsBound, goal: '<= 1.10', ok: vsBound <= 1.1 },
      { metric: "model_affinity / issue's bound (every worker loads every model once)", value: vsIssueBound, goal: '<= 1.10', ok: vsIssueBound <= 1.1 },
      { metric: `best baseline (${bestBaseline.policy.replace('baseline: ', '')}) / model_affinity`, value: vsBaseline, goal: '>= 1.4', ok: vsBaseline >= 1.4 },
    ],
    data: {
      workers,
      lowerBound: bound,
      results: results.map((r) => ({ ...r, records: r.records })),
      sensitivity: sensitivity.map((v) => ({ ramGiB: v.ramGiB, lowerBound: v.bound, affinity: { ...v.affinity, records: undefined }, bestBaseline: { ...v.bestBaseline, records: undefined } })),
      learnedTimings: (policies[0] as RouterPolicy).router.timings.list(),
    },
  };
}
