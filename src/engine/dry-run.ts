import { inventoryFromWorker, preflight, renderPreflightReport, type PreflightReport } from '../catalog/preflight/index.js';
import { templateById } from '../catalog/templates/index.js';
import { ComfyClient, type ComfyClientOptions } from '../comfy/client/index.js';
import { clientSettings, type StoryCoreConfig } from '../config/index.js';
import type { ProjectState, SimSettings } from '../engine.js';
import { Engine } from '../engine.js';
import type { PoolWorker } from '../scheduler/dispatcher/index.js';
import { placeholderGraph, type StoryTask } from '../story/tasks/index.js';
import { startSimWorkers } from './sim-workers.js';
import { requiredModels, type StoryPlan } from './story-plan.js';
import { storedTasks } from './stored-tasks.js';

export interface DryRunTask {
  key: string;
  templateId: string;
  /** `stored`: its asset exists, it will not be submitted; `to-run`: it will. */
  status: 'stored' | 'to-run';
  /** Unknown while an input of the task is not stored (it depends on that input's content). */
  taskHash?: string;
}

export interface DryRunWorker {
  name: string;
  url: string;
  /** Every task to run passes preflight on this worker. */
  ok: boolean;
  /** Preflight findings, one line each (missing nodes with their pack, models with size and URL). */
  lines: string[];
  reports: PreflightReport[];
  error?: string;
}

export interface DryRunReport {
  tasks: DryRunTask[];
  workers: DryRunWorker[];
  /** True when no worker is configured and --sim was not given. */
  noWorkers: boolean;
}

/**
 * What `generate` would do, without submitting anything: each task stored or to run, and a
 * preflight of every distinct graph to run against every worker (missing node packs and model
 * files with download hints, VRAM), before any GPU time is spent.
 */
export async function dryRun(state: ProjectState, plan: StoryPlan, options: { cwd: string; config: Parameters<typeof Engine.configuredWorkers>[0] & Pick<StoryCoreConfig, 'client'>; sim?: Omit<SimSettings, 'models'> }): Promise<DryRunReport> {
  const stored = await storedTasks(state.store, plan);
  const tasks: DryRunTask[] = [...stored.values()].map((s) => ({ key: s.task.key, templateId: s.task.templateId, status: s.outputs ? 'stored' : 'to-run', ...(s.hash ? { taskHash: s.hash } : {}) }));
  const toRun = [...stored.values()].filter((s) => !s.outputs).map((s) => s.task);
  const emulators = options.sim ? await startSimWorkers({ count: options.sim.workers, profile: options.sim.profile, timeScale: options.sim.timeScale, models: requiredModels(plan.graph.tasks) }) : [];
  try {
    const targets: PoolWorker[] = options.sim ? emulators.map((e) => ({ name: e.name, endpoint: e.url })) : await Engine.configuredWorkers(options.config, options.cwd);
    const workers: DryRunWorker[] = [];
    for (const target of targets) workers.push(await checkWorker(target, distinct(toRun), { ...clientSettings(options.config), socket: false, getRetries: 0 }));
    return { tasks, workers, noWorkers: targets.length === 0 };
  } finally {
    await Promise.all(emulators.map((e) => e.close()));
  }
}

/** One task per distinct template and parameters: a 100-shot story has a handful of distinct graphs to check. */
function distinct(tasks: readonly StoryTask[]): StoryTask[] {
  const seen = new Map<string, StoryTask>();
  for (const task of tasks) {
    const { prompt: _p, negative: _n, seed: _s, ...rest } = task.params;
    seen.set(`${task.templateId} ${JSON.stringify(rest)}`, task);
  }
  return [...seen.values()];
}

async function checkWorker(target: PoolWorker, tasks: readonly StoryTask[], clientOptions: ComfyClientOptions): Promise<DryRunWorker> {
  const endpoint = typeof target.endpoint === 'string' ? { url: target.endpoint, name: target.name } : target.endpoint;
  const client = new ComfyClient(endpoint, clientOptions);
  try {
    const inventory = await inventoryFromWorker(client, target.name);
    const reports = tasks.map((task) => {
      const template = templateById(task.templateId);
      // Input files are uploaded at run time; only nodes, models, settings and VRAM are checked here.
      const report = preflight(placeholderGraph(task), inventory, { template, params: task.params });
      return { ...report, problems: report.problems.filter((p) => !/storycore\/0{64}/.test(p.message)) };
    });
    const failing = reports.map((r) => ({ ...r, ok: r.problems.length === 0 })).filter((r) => !r.ok);
    return { name: target.name, url: endpoint.url, ok: failing.length === 0, lines: failing.flatMap((r) => renderPreflightReport(r)), reports };
  } catch (error) {
    return { name: target.name, url: endpoint.url, ok: false, lines: [], reports: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close();
  }
}
