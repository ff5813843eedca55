import { extendedObjectInfo } from '../src/comfy/object-info/extra-nodes.js';
import type { ObjectInfo } from '../src/comfy/object-info/types.js';
import { Router } from '../src/scheduler/router/router.js';
import { BASELINES } from './simulation/baselines.js';
import { lowerBound, type LowerBound } from './simulation/lower-bound.js';
import { priorityWaits, type PriorityWait } from './simulation/priority-wait.js';
import { RouterPolicy } from './simulation/router-policy.js';
import { simulate, type DispatchPolicy, type SimResult, type SimTask, type SimWorkerSpec } from './simulation/simulate.js';
import { keyframeBurst, regeneratedShot, storyOnFourGpus, threeProjects, type Workload } from './simulation/workloads.js';
import { STRATEGY_NAMES, type StrategyName } from '../src/scheduler/strategies/index.js';
import { LearnedTimings } from '../src/scheduler/timings/learned-timings.js';
import { GPU_PROFILES } from '../src/catalog/cost/gpu-profiles.js';
import type { BenchReport } from './report.js';

const GiB = 1024 ** 3;
const MINUTE = 60_000;

const baselines = (): DispatchPolicy[] => [BASELINES.comfyFifo(), BASELINES.firstIdle(), BASELINES.lowestQueue(), BASELINES.roundRobinPush(), BASELINES.loadedModelElseLeastUsed()];
const strategy = (s: StrategyName): RouterPolicy => new RouterPolicy(new Router({ strategy: s, timings: new LearnedTimings() }));

async function runAll(policies: DispatchPolicy[], tasks: readonly SimTask[], workers: readonly SimWorkerSpec[], objectInfo: ObjectInfo): Promise<SimResult[]> {
  const results: SimResult[] = [];
  for (const policy of policies) results.push(await simulate({ tasks, workers, policy, objectInfo }));
  return results;
}

const isBaseline = (r: SimResult) => r.policy.startsWith('baseline');
const bestBaselineOf = (results: readonly SimResult[]): SimResult => results.filter(isBaseline).reduce((a, b) => (b.makespanMs < a.makespanMs ? b : a));
const s = (ms: number) => Math.round(ms / 100) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

/** Workstation cards (typical box < 128 GiB) get `ramBytes`; datacenter cards keep theirs. */
function withWorkstationRam(workers: readonly SimWorkerSpec[], ramBytes: number): SimWorkerSpec[] {
  return workers.map((w) => (GPU_PROFILES[w.profile].hostRamBytes < 128 * GiB ? { ...w, hostRamBytes: ramBytes } : w));
}

function row(label: string, r: SimResult, bound: LowerBound): Record<string, string | number> {
  return {
    policy: label,
    'makespan s': s(r.makespanMs),
    'x lower bound': ratio(r.makespanMs, bound.lowerBoundMs),
    loads: r.loads,
    'load s': s(r.loadMs),
    'disk s': s(r.diskMs),
    switches: r.switches,
    'idle s': s(r.idleMs),
    'tasks per worker': r.perWorker.map((w) => w.tasks).join('/'),
  };
}

const describeWorkers = (workers: readonly SimWorkerSpec[]) => workers.map((w) => `${w.name} (${((w.hostRamBytes ?? GPU_PROFILES[w.profile].hostRamBytes) / GiB).toFixed(0)} GiB RAM)`).join(', ');

/**
 * `npm run bench -- scheduler [--shots N] [--ram-gb N]`: three workloads on a virtual clock with
 * the emulator's own executor, cost model and GpuState (bounded host RAM included), every
 * strategy and five baselines from cold GPUs with no learned timings at the start:
 * (a) a 24-shot story (Qwen-Image keyframes → Wan 2.2 clips) on A100-80G, RTX 5090, 2× RTX 4090;
 * (b) three projects 10 minutes apart with Qwen-Image, SDXL and NewBie keyframes, each with
 *     Wan 2.2 clips, on 2× RTX 4090 (64 GiB boxes), 2× RTX 5090, A100-80G, L40S;
 * (c) a burst of 200 keyframes across four image models on 4× RTX 4090 in 32 GiB boxes.
 * Then the priority wait: a shot of (b) regenerated at priority 10 during the run (keyframe and
 * clip), the wait of each of its prompts against what was running on its worker.
 * `--shots` sets (a)'s story length, `--ram-gb` its workstation boxes' RAM (sensitivity rows
 * rerun (a) with 32 and 128 GiB boxes when it is not given).
 */
export async function runSchedulerBench(args: string[]): Promise<BenchReport> {
  const arg = (name: string): number | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const ramGb = arg('--ram-gb');
  const objectInfo = extendedObjectInfo();
  const a = storyOnFourGpus(arg('--shots') ?? 24);
  if (ramGb !== undefined) a.workers = withWorkstationRam(a.workers, ramGb * GiB);
  const workloads: Workload[] = [a, threeProjects(), keyframeBurst()];

  const rows: Array<Record<string, string | number>> = [];
  const goals: BenchReport['goals'] = [];
  const data: Record<string, unknown> = {};
  for (const w of workloads) {
    const bound = await lowerBound(w.tasks, w.workers, objectInfo);
    const policies: DispatchPolicy[] = [...STRATEGY_NAMES.map(strategy), ...baselines()];
    const results = await runAll(policies, w.tasks, w.workers, objectInfo);
    for (const r of results) rows.push(row(`${w.id}: ${r.policy}`, r, bound));
    rows.push({ policy: `${w.id}: lower bound (work + 1 load/worker, arrivals, critical path)`, 'makespan s': s(bound.lowerBoundMs), 'x lower bound': 1 });
    const affinity = results.find((r) => r.policy === 'model_affinity')!;
    const best = bestBaselineOf(results);
    goals.push({ metric: `${w.title}: model_affinity / lower bound`, value: affinity.makespanMs / bound.lowerBoundMs, goal: '<= 1.10', ok: affinity.makespanMs / bound.lowerBoundMs <= 1.1 });
    const lead = best.makespanMs / affinity.makespanMs;
    goals.push({ metric: `${w.title}: best baseline (${best.policy.replace('baseline: ', '')}) / model_affinity`, value: lead, goal: w.id === 'c' ? '>= 1.3' : '> 1 (ahead of every baseline)', ok: w.id === 'c' ? lead >= 1.3 : lead > 1 });
    data[w.id] = { title: w.title, workers: w.workers, lowerBound: bound, results: results.map((r) => ({ ...r, records: w.id === 'c' ? undefined : r.records })) };
    if (w.id === 'a') data.learnedTimings = (policies[0] as RouterPolicy).router.timings.list();
  }

  // Sensitivity of (a) to the host-RAM assumption: small and large workstation boxes.
  if (ramGb === undefined) {
    for (const ramGiB of [32, 128]) {
      const variant = withWorkstationRam(a.workers, ramGiB * GiB);
      const vBound = await lowerBound(a.tasks, variant, objectInfo);
      const vResults = await runAll([strategy('model_affinity'), ...baselines()], a.tasks, variant, objectInfo);
      for (const r of [vResults[0]!, bestBaselineOf(vResults)]) rows.push(row(`a, RAM ${ramGiB} GiB on 4090/5090 boxes: ${r.policy}`, r, vBound));
      rows.push({ policy: `a, RAM ${ramGiB} GiB on 4090/5090 boxes: lower bound`, 'makespan s': s(vBound.lowerBoundMs), 'x lower bound': 1 });
    }
  }

  // Priority: a shot of (b) regenerated during the run, at a priority above the run's.
  const b = workloads[1]!;
  const waitRows: Array<Record<string, string | number>> = [];
  const waits: Record<string, PriorityWait[]> = {};
  let worstRatio = 0;
  for (const atMin of [15, 25, 35]) {
    const shot = regeneratedShot(atMin * MINUTE);
    const ids = shot.map((t) => t.task.id);
    for (const policy of [strategy('model_affinity'), ...baselines().filter((p) => !p.name.includes('FIFO'))]) {
      const r = await simulate({ tasks: [...b.tasks, ...shot], workers: b.workers, policy, objectInfo });
      for (const wait of priorityWaits(r, ids)) {
        (waits[policy.name] ??= []).push(wait);
        waitRows.push({
          'regenerated at': `${atMin} min`,
          policy: policy.name,
          prompt: wait.taskId.replace(/^.*regen-/, ''),
          worker: wait.worker,
          'wait s': s(wait.waitMs),
          'running prompt left s': s(wait.runningRemainingMs),
          'prompts ahead': wait.promptsAhead,
          'pool next free s': s(wait.poolNextFreeMs),
          'run makespan s': s(r.makespanMs),
        });
        if (policy.name === 'model_affinity') worstRatio = Math.max(worstRatio, wait.waitMs === 0 ? 0 : wait.waitMs / Math.max(1, wait.runningRemainingMs));
      }
    }
  }
  const affinityWaits = waits.model_affinity ?? [];
  const maxAhead = Math.max(...affinityWaits.map((w) => w.promptsAhead));
  goals.push({ metric: '(b) regenerated shot (priority 10): worst model_affinity wait / remaining time of the prompt running ahead of it', value: worstRatio, goal: '<= 1.00', ok: worstRatio <= 1 + 1e-9 && maxAhead === 0 });
  data.priority = { waits, rows: waitRows };

  return {
    name: 'scheduler',
    description: [
      'virtual clock, emulator cost model; tasks per worker in pool order; switches = tasks whose template differs from the worker\'s previous one',
      ...workloads.map((w) => `${w.title}: ${w.tasks.length} prompts on ${describeWorkers(w.workers)}`),
    ].join('\n'),
    rows,
    tables: [{ title: `Priority: shot 03 of the Qwen-Image project of (b) regenerated (keyframe, then its clip) at priority 10 while the run goes on; wait = start − ready; "running prompt left" = what remained of the prompt running on its worker then; "prompts ahead" = others started there before it`, rows: waitRows }],
    goals,
    data,
  };
}
