import type { ApiGraph } from '../../src/comfy/graph.js';
import type { ObjectInfo } from '../../src/comfy/object-info/types.js';
import type { GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';
import { feasibility } from '../../src/scheduler/router/feasibility.js';
import type { RoutableTask, WorkerView } from '../../src/scheduler/router/types.js';
import { VirtualWorker } from './virtual-worker.js';

export interface SimTask {
  task: RoutableTask;
  graph: ApiGraph;
}

export interface SimWorkerSpec {
  name: string;
  profile: GpuProfileId;
  /** Folder → model files on the worker. */
  models: Record<string, string[]>;
  /** System RAM of the box (default: the profile's typical figure). */
  hostRamBytes?: number;
}

/** A task given to a worker, waiting or running. */
export interface SimQueued {
  task: RoutableTask;
  dispatchedAt: number;
  startedAt?: number;
  /** What the policy expected when it dispatched (ms of load + run); 0 when it has no idea. */
  expectedMs: number;
}

export interface SimWorkerState {
  spec: SimWorkerSpec;
  /** Running first. */
  queue: SimQueued[];
  /** Tasks started so far. */
  started: number;
  /** Template of the last task started here (SwarmUI's "loaded model"). */
  lastTemplate?: string;
  /** Main model file of the last task started here. */
  lastModel?: string;
  lastFinishedAt: number;
}

/** What a policy sees at a decision point. */
export interface SimView {
  now: number;
  /** Ready, not yet dispatched, in the order they became ready. */
  ready: readonly RoutableTask[];
  /** Not done, not dispatched, waiting for dependencies. */
  upcoming: readonly RoutableTask[];
  workers: readonly SimWorkerState[];
  /** The inventory view of a worker (nodes and files; residency and queue are the policy's business). */
  inventory(worker: SimWorkerState): WorkerView;
}

export interface TaskRecord {
  taskId: string;
  worker: string;
  readyAt: number;
  startedAt: number;
  finishedAt: number;
  loadMs: number;
  loads: number;
  /** Part of `loadMs` spent reading weights from disk (not in host RAM). */
  diskMs: number;
}

/** A dispatch policy: one of our strategies through the router, or a baseline copied from another tool. */
export interface DispatchPolicy {
  readonly name: string;
  dispatch(view: SimView): Array<{ taskId: string; worker: string; expectedMs?: number }>;
  /** A task is about to start on `worker` (its queue head). */
  started?(task: RoutableTask, worker: SimWorkerState, view: SimView): void;
  finished?(record: TaskRecord, task: RoutableTask, worker: SimWorkerState, view: SimView): void;
}

export interface SimResult {
  policy: string;
  makespanMs: number;
  loads: number;
  loadMs: number;
  /** Part of `loadMs` spent reading weights from disk. */
  diskMs: number;
  /** Times a worker ran a task of another template than its previous one (model-set switches). */
  switches: number;
  idleMs: number;
  /** Times a worker sat idle while a task it could run was ready and undispatched. */
  idleWhileReady: number;
  perWorker: Array<{ worker: string; profile: GpuProfileId; tasks: number; busyMs: number; loads: number }>;
  records: TaskRecord[];
}

export interface SimulateOptions {
  tasks: readonly SimTask[];
  workers: readonly SimWorkerSpec[];
  policy: DispatchPolicy;
  objectInfo: ObjectInfo;
}

/**
 * A discrete-event simulation of a pool on a virtual clock. Each worker is a `VirtualWorker`
 * (the emulator's executor, cost model and GpuState); a worker runs its queue in order, one
 * prompt at a time, as ComfyUI does. The policy is asked to dispatch at t = 0 and after every
 * completion (the only moments the state changes). Deterministic: no wall clock, no randomness.
 */
export async function simulate(options: SimulateOptions): Promise<SimResult> {
  const { policy, objectInfo } = options;
  const byId = new Map(options.tasks.map((t) => [t.task.id, t]));
  const nodeClasses = new Set(Object.keys(objectInfo));
  const workers: SimWorkerState[] = options.workers.map((spec) => ({ spec, queue: [], started: 0, lastFinishedAt: 0 }));
  const virtual = new Map(options.workers.map((s) => [s.name, new VirtualWorker(s.name, s.profile, objectInfo, s.models, s.hostRamBytes)]));
  const inventory = (w: SimWorkerState): WorkerView => ({
    name: w.spec.name,
    profile: w.spec.profile,
    vramTotalBytes: virtual.get(w.spec.name)!.gpu.totalBytes,
    vramFreeBytes: virtual.get(w.spec.name)!.gpu.totalBytes,
    nodeClasses,
    modelFiles: w.spec.models,
    resident: [],
    inRam: [],
    queue: [],
    healthy: true,
    ...(w.spec.hostRamBytes !== undefined ? { hostRamBytes: w.spec.hostRamBytes } : {}),
  });
  const done = new Set<string>();
  const dispatched = new Set<string>();
  const readyAt = new Map<string, number>();
  let ready: RoutableTask[] = [];
  const records: TaskRecord[] = [];
  const running = new Map<string, { finishAt: number; record: TaskRecord }>();
  let now = 0;
  let idleWhileReady = 0;

  const refreshReady = (): void => {
    for (const { task } of options.tasks) {
      if (done.has(task.id) || dispatched.has(task.id) || readyAt.has(task.id)) continue;
      if (task.dependsOn.every((d) => done.has(d))) {
        readyAt.set(task.id, now);
        ready.push(task);
      }
    }
  };
  const view = (): SimView => ({
    now,
    ready: [...ready],
    upcoming: options.tasks.map((t) => t.task).filter((t) => !done.has(t.id) && !dispatched.has(t.id) && !readyAt.has(t.id)),
    workers,
    inventory,
  });

  refreshReady();
  while (done.size < options.tasks.length) {
    for (const a of policy.dispatch(view())) {
      const w = workers.find((x) => x.spec.name === a.worker);
      const task = ready.find((t) => t.id === a.taskId);
      if (!w || !task) throw new Error(`${policy.name} dispatched ${a.taskId} to ${a.worker}: unknown or not ready`);
      w.queue.push({ task, dispatchedAt: now, expectedMs: a.expectedMs ?? 0 });
      dispatched.add(task.id);
      ready = ready.filter((t) => t !== task);
    }
    for (const w of workers) {
      const head = w.queue[0];
      if (!head || head.startedAt !== undefined) continue;
      policy.started?.(head.task, w, view());
      head.startedAt = now;
      const run = await virtual.get(w.spec.name)!.run(byId.get(head.task.id)!.graph, head.task.id);
      w.started += 1;
      w.lastTemplate = head.task.templateId;
      w.lastModel = head.task.models.find((m) => m.folder === 'diffusion_models' || m.folder === 'checkpoints')?.file;
      running.set(w.spec.name, {
        finishAt: now + run.totalMs,
        record: { taskId: head.task.id, worker: w.spec.name, readyAt: readyAt.get(head.task.id)!, startedAt: now, finishedAt: now + run.totalMs, loadMs: run.loadMs, loads: run.loads, diskMs: run.diskMs },
      });
    }
    for (const w of workers) {
      if (w.queue.length === 0 && ready.some((t) => feasibility(t, inventory(w)).ok)) idleWhileReady += 1;
    }
    if (running.size === 0) throw new Error(`${policy.name} left ${options.tasks.length - done.size} task(s) undispatched with every worker idle`);
    now = Math.min(...[...running.values()].map((r) => r.finishAt));
    for (const w of workers) {
      const r = running.get(w.spec.name);
      if (!r || r.finishAt > now) continue;
      running.delete(w.spec.name);
      const finished = w.queue.shift()!;
      w.lastFinishedAt = now;
      done.add(finished.task.id);
      records.push(r.record);
      policy.finished?.(r.record, finished.task, w, view());
    }
    refreshReady();
  }

  const makespanMs = Math.max(0, ...records.map((r) => r.finishedAt));
  const template = new Map(options.tasks.map((t) => [t.task.id, t.task.templateId]));
  let switches = 0;
  for (const w of workers) {
    const mine = records.filter((r) => r.worker === w.spec.name).sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < mine.length; i += 1) if (template.get(mine[i]!.taskId) !== template.get(mine[i - 1]!.taskId)) switches += 1;
  }
  const perWorker = workers.map((w) => {
    const mine = records.filter((r) => r.worker === w.spec.name);
    return {
      worker: w.spec.name,
      profile: w.spec.profile,
      tasks: mine.length,
      busyMs: mine.reduce((s, r) => s + (r.finishedAt - r.startedAt), 0),
      loads: mine.reduce((s, r) => s + r.loads, 0),
    };
  });
  return {
    policy: policy.name,
    makespanMs,
    loads: records.reduce((s, r) => s + r.loads, 0),
    loadMs: records.reduce((s, r) => s + r.loadMs, 0),
    diskMs: records.reduce((s, r) => s + r.diskMs, 0),
    switches,
    idleMs: perWorker.reduce((s, w) => s + (makespanMs - w.busyMs), 0),
    idleWhileReady,
    perWorker,
    records,
  };
}
