import type { TaskOutput } from '../assets/index.js';
import type { Engine, ProjectState } from '../engine.js';
import type { AlertEvent } from '../scheduler/alerts/index.js';
import type { DispatchedResult } from '../scheduler/dispatcher/index.js';
import type { Job, Json } from '../scheduler/queue/index.js';
import type { BoundTask, StoryTask } from '../story/tasks/index.js';
import { identify } from './stored-tasks.js';
import { GenerateFailedError } from './errors/generate-failed-error.js';
import { RunInterruptedError } from './errors/run-interrupted-error.js';
import { jobIdFor } from './job-ids.js';
import { recordRun, linkTask } from './record-outputs.js';
import { taskModels, type StoryPlan } from './story-plan.js';
import { resolveInputs } from './task-inputs.js';
import { TaskEta } from './task-eta.js';
import { NoWorkerReachableError } from './errors/no-worker-reachable-error.js';

export type TaskStatus = 'waiting' | 'queued' | 'running' | 'cached' | 'ran' | 'failed' | 'skipped';

/** One task's outcome, for the summary table and --json. */
export interface TaskOutcome {
  key: string;
  shotId: string;
  stage: StoryTask['stage'];
  templateId: string;
  status: TaskStatus;
  taskHash?: string;
  jobId?: string;
  worker?: string;
  /** Wall time from lease to recorded outputs. */
  ms?: number;
  attempts?: number;
  outputs?: TaskOutput[];
  error?: { code: string; message: string };
}

export type GenerateEvent =
  | { type: 'task'; task: TaskOutcome; done: number; total: number; etaMs: number | undefined; /** The ETA is the catalogue's estimate: no task has finished yet. */ etaGuess: boolean }
  | { type: 'retry'; key: string; worker: string; reason: string }
  | { type: 'alert'; alert: AlertEvent };

export interface GenerateOptions {
  /** Shot ids whose tasks run again although their assets exist. */
  force?: ReadonlySet<string>;
  onEvent?(event: GenerateEvent): void;
  signal?: AbortSignal;
  /** Attempts per job (config queue.maxAttempts). */
  maxAttempts?: number;
  /**
   * With tasks to run and no worker answering for this long, generate fails with
   * NoWorkerReachableError instead of waiting forever (config client.unreachableTimeoutMs).
   */
  noWorkerTimeoutMs?: number;
  /** Told once when no worker answers: what generate is waiting for, and for how long at most. */
  onWaiting?(line: string): void;
}

/**
 * What generate runs on: the project's store and queue, and the workers, opened only when
 * some task has to run (a fully cached story needs no worker at all).
 */
export interface GenerateContext {
  state: ProjectState;
  engine(): Promise<Engine>;
}

export interface GenerateReport {
  tasks: TaskOutcome[];
  /** Jobs handed to the queue in this run (new or resumed). */
  queued: number;
  cached: number;
  ran: number;
  failed: number;
  elapsedMs: number;
}

interface Slot {
  task: StoryTask;
  outcome: TaskOutcome;
  bound?: BoundTask;
  hash?: string;
  outputs?: TaskOutput[];
  leasedAt?: number;
}

const FINISHED: ReadonlySet<TaskStatus> = new Set(['cached', 'ran', 'failed', 'skipped']);

/**
 * Runs a story's tasks incrementally. A task becomes ready when its inputs have assets; then
 * its hash is computed (template, parameters, input hashes). A hash the store already has is
 * not submitted again; otherwise the task goes into the durable queue as job `<hash>` and the
 * dispatcher runs it. Each completed job is recorded in the store (manifest, index, link)
 * and its dependents become ready. A resumed run finds in-flight jobs by their id and
 * re-attaches; a job completed but not recorded is recorded from its stored result.
 */
export async function generateStory(context: GenerateContext, plan: StoryPlan, options: GenerateOptions = {}): Promise<GenerateReport> {
  const started = Date.now();
  const { store, queue } = context.state;
  let engine: Engine | undefined;
  const force = options.force ?? new Set<string>();
  const slots = new Map<string, Slot>(plan.graph.tasks.map((task) => [task.key, { task, outcome: { key: task.key, shotId: task.shotId, stage: task.stage, templateId: task.templateId, status: 'waiting' } }]));
  const byJob = new Map<string, Slot>();
  const eta = new TaskEta();
  // Every task counts from the start, also those waiting for inputs (clips behind keyframes).
  for (const task of plan.graph.tasks) eta.add(task.key, task.templateId, task.params, taskModels(task).map((m) => m.file));
  let queued = 0;
  let done = 0;
  let settle!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const recording = new Set<Promise<void>>();

  const emit = (slot: Slot) => options.onEvent?.({ type: 'task', task: { ...slot.outcome }, done, total: slots.size, etaMs: eta.remainingMs(), etaGuess: eta.isGuess() });
  const finish = (slot: Slot, status: TaskStatus, extra: Partial<TaskOutcome> = {}) => {
    Object.assign(slot.outcome, { status, ...extra });
    done++;
    if (status !== 'ran') eta.drop(slot.task.key);
    emit(slot);
    if (status === 'failed' || status === 'skipped') skipDependents(slot.task.key);
    if (done === slots.size) settle();
  };
  const skipDependents = (key: string) => {
    for (const other of slots.values()) {
      if (FINISHED.has(other.outcome.status) || !other.task.dependsOn.includes(key)) continue;
      finish(other, 'skipped', { error: { code: 'INPUT_FAILED', message: `${key} did not produce an output` } });
    }
  };

  const advance = async (): Promise<void> => {
    for (const slot of slots.values()) {
      if (slot.outcome.status !== 'waiting') continue;
      if (!slot.task.dependsOn.every((key) => slots.get(key)?.outputs)) continue;
      slot.outcome.status = 'queued';
      await startTask(slot);
    }
  };

  const startTask = async (slot: Slot): Promise<void> => {
    const inputs = await resolveInputs(slot.task, store, (key) => slots.get(key)?.outputs, plan.limits);
    if (!inputs) throw new Error(`${slot.task.label}: inputs not ready`);
    const { bound, hash } = identify(slot.task, inputs);
    Object.assign(slot, { bound, hash });
    slot.outcome.taskHash = hash;
    const forced = force.has(slot.task.shotId);
    await cancelSuperseded(slot.task.key, hash);
    const cached = forced ? undefined : await store.lookupTask(hash);
    if (cached) {
      slot.outputs = cached;
      await linkTask(store, slot.task.shotId, cached);
      finish(slot, 'cached', { outputs: cached });
      return;
    }
    const { id, existing } = await jobIdFor(queue, hash, forced, async (job) => {
      const outputs = (job.result as unknown as DispatchedResult).outputs;
      for (const o of outputs) if (!(await store.has(o.sha256))) return false;
      return true;
    });
    await workers();
    slot.outcome.jobId = id;
    byJob.set(id, slot);
    eta.add(slot.task.key, slot.task.templateId, bound.params);
    if (existing?.state === 'completed') {
      // Completed by a run that stopped before recording it: record from the stored result.
      await completed(slot, existing.result as unknown as DispatchedResult);
      return;
    }
    if (!existing) {
      const payload = {
        templateId: slot.task.templateId,
        params: bound.params,
        inputs: inputs.map((i) => ({ name: i.param, path: i.path, sha256: i.sha256 })),
        outputs: { kinds: [slot.task.output.kind === 'video' ? 'video' : 'image'] },
        storycore: { taskKey: slot.task.key, shotId: slot.task.shotId, taskHash: hash, story: plan.storyPath },
      };
      await queue.add([{ id, kind: slot.task.stage, payload: payload as unknown as Json, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) }]);
    }
    queued++;
    emit(slot);
  };

  /** A job of the same task for an older version of the story (another hash) is not wanted any more. */
  let unfinished: Promise<Job[]> | undefined;
  const cancelSuperseded = async (key: string, hash: string): Promise<void> => {
    // Jobs this run adds are never superseded within it: the list of the start is enough.
    unfinished ??= queue.list({ state: ['waiting', 'ready', 'leased'] });
    for (const job of await unfinished) {
      const meta = (job.payload as { storycore?: { taskKey?: string; taskHash?: string; story?: string } } | null)?.storycore;
      if (meta?.taskKey === key && meta.story === plan.storyPath && meta.taskHash !== hash) await queue.cancel(job.id);
    }
  };

  const completed = async (slot: Slot, result: DispatchedResult): Promise<void> => {
    const { outputs } = await recordRun(store, slot.bound!, slot.hash!, result, engine?.workerUrls.get(result.worker) ?? result.worker);
    slot.outputs = outputs;
    eta.observe(slot.task.key, slot.leasedAt ? Date.now() - slot.leasedAt : undefined);
    finish(slot, 'ran', { worker: result.worker, outputs, attempts: result.attempt, ...(slot.leasedAt ? { ms: Date.now() - slot.leasedAt } : {}) });
    await advance();
  };

  const track = (work: () => Promise<void>) => {
    const p = work().catch(fail);
    recording.add(p);
    void p.finally(() => recording.delete(p));
  };

  const onLeased = (e: { jobId: string; worker: string }) => {
    const slot = byJob.get(e.jobId);
    if (!slot) return;
    slot.leasedAt ??= Date.now();
    Object.assign(slot.outcome, { status: 'running', worker: e.worker });
    emit(slot);
  };
  const onCompleted = (e: { jobId: string; result: DispatchedResult }) => {
    const slot = byJob.get(e.jobId);
    if (slot && !FINISHED.has(slot.outcome.status)) track(() => completed(slot, e.result));
  };
  const onFailed = (e: { jobId: string; decision: { code: string; reason: string } }) => {
    const slot = byJob.get(e.jobId);
    if (slot && !FINISHED.has(slot.outcome.status)) finish(slot, 'failed', { error: { code: e.decision.code, message: e.decision.reason } });
  };
  const onCancelled = (e: { jobId: string; reason: string }) => {
    const slot = byJob.get(e.jobId);
    if (slot && !FINISHED.has(slot.outcome.status)) finish(slot, 'failed', { error: { code: 'JOB_CANCELLED', message: e.reason } });
  };
  const onRetried = (e: { jobId: string; worker: string; decision: { reason: string } }) => {
    const slot = byJob.get(e.jobId);
    if (slot) options.onEvent?.({ type: 'retry', key: slot.task.key, worker: e.worker, reason: e.decision.reason });
  };
  const onAlert = (alert: AlertEvent) => options.onEvent?.({ type: 'alert', alert });
  let opening: Promise<Engine> | undefined;
  const workers = async (): Promise<Engine> => {
    opening ??= context.engine().then((opened) => {
      engine = opened;
      eta.setWorkers(opened.pool.names().length, opened.pool.names().map((n) => opened.pool.profileOf(n))[0] ?? 'rtx4090');
      const events = opened.dispatcher.events;
      events.on('job.leased', onLeased);
      events.on('job.completed', onCompleted);
      events.on('job.failed', onFailed);
      events.on('job.cancelled', onCancelled);
      events.on('job.retried', onRetried);
      opened.alerts.on('alert', onAlert);
      opened.dispatcher.start();
      watchWorkers(opened);
      return opened;
    });
    return opening;
  };
  let watchdog: NodeJS.Timeout | undefined;
  const watchWorkers = (opened: Engine): void => {
    const limitMs = options.noWorkerTimeoutMs;
    if (limitMs === undefined) return;
    let downSince: number | undefined;
    let told = false;
    const look = (): void => {
      const pool = opened.pool;
      // `live`: the worker answered its last check, busy or not; only silence counts here.
      if (pool.names().some((n) => pool.monitor.health(n)?.live === true)) {
        downSince = undefined;
        return;
      }
      const now = Date.now();
      downSince ??= now;
      const workers = pool.names().map((name) => ({ name, url: opened.workerUrls.get(name) ?? name, reason: pool.monitor.health(name)?.reason ?? 'not checked yet' }));
      if (!told) {
        told = true;
        options.onWaiting?.(`waiting for a worker to answer: ${workers.map((w) => `${w.name} (${w.url}) ${w.reason}`).join('; ')} (gives up after ${limitMs / 1000} s, client.unreachableTimeoutMs)`);
      }
      if (now - downSince >= limitMs) fail(new NoWorkerReachableError(now - downSince, workers));
    };
    look();
    watchdog = setInterval(look, Math.min(1_000, Math.max(100, limitMs / 4)));
    watchdog.unref();
  };
  const onAbort = () => fail(new RunInterruptedError());
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (slots.size === 0) settle();
    await Promise.race([advance(), finished]);
    await finished;
    while (recording.size > 0) await Promise.all([...recording]);
  } finally {
    clearInterval(watchdog);
    options.signal?.removeEventListener('abort', onAbort);
    const events = engine?.dispatcher.events;
    events?.off('job.leased', onLeased);
    events?.off('job.completed', onCompleted);
    events?.off('job.failed', onFailed);
    events?.off('job.cancelled', onCancelled);
    events?.off('job.retried', onRetried);
    engine?.alerts.off('alert', onAlert);
  }
  const tasks = [...slots.values()].map((s) => s.outcome);
  const count = (status: TaskStatus) => tasks.filter((t) => t.status === status).length;
  const report: GenerateReport = { tasks, queued, cached: count('cached'), ran: count('ran'), failed: count('failed') + count('skipped'), elapsedMs: Date.now() - started };
  const failures = tasks.filter((t) => t.status === 'failed');
  if (failures.length > 0) throw Object.assign(new GenerateFailedError(failures.map((t) => ({ task: t.key, code: t.error?.code ?? 'UNKNOWN', message: t.error?.message ?? 'failed' }))), { report });
  return report;
}

/** Jobs of a queue that belong to a story's tasks, by task key (for `status`). */
export function storyJobs(jobs: readonly Job[], storyPath: string): Map<string, Job[]> {
  const out = new Map<string, Job[]>();
  for (const job of jobs) {
    const meta = (job.payload as { storycore?: { taskKey?: string; story?: string } } | null)?.storycore;
    if (!meta?.taskKey || meta.story !== storyPath) continue;
    out.set(meta.taskKey, [...(out.get(meta.taskKey) ?? []), job]);
  }
  return out;
}
