import { randomUUID } from 'node:crypto';
import type { AnyTemplate } from '../../catalog/templates/template.js';
import type { JobHandle, JobResult, OutputFile } from '../../comfy/client/job-types.js';
import type { ComfyLogger } from '../../comfy/client/logger.js';
import type { ApiGraph } from '../../comfy/graph.js';
import { decide } from '../failure-policy/decide.js';
import { codeOf } from '../failure-policy/failure-class.js';
import type { RetryBackoff } from '../failure-policy/backoff.js';
import type { Decision } from '../failure-policy/types.js';
import type { MetricsStore } from '../metrics/metrics-store.js';
import { NodeTimer } from '../metrics/node-timer.js';
import type { PromptOutcome } from '../metrics/prompt-record.js';
import type { Job, JobQueue, Json } from '../queue/job-queue.js';
import type { Assignment, QueuedWork, RoutableTask } from '../router/types.js';
import type { Router } from '../router/router.js';
import type { DispatchedResult, DispatcherEvents } from './dispatcher-events.js';
import { PreflightFailedError } from './errors/preflight-failed-error.js';
import { VramShortError } from './errors/vram-short-error.js';
import type { InputUploads } from './input-uploads.js';
import type { JobPayload } from './job-payload.js';
import type { OutputSink } from './output-sink.js';
import type { PreflightCache } from './preflight-cache.js';
import type { WorkerPool } from './worker-pool.js';

/** What one run needs from its dispatcher. */
export interface RunContext {
  queue: JobQueue;
  pool: WorkerPool;
  router: Router;
  uploads: InputUploads;
  preflights: PreflightCache;
  sink: OutputSink;
  events: DispatcherEvents;
  logger: ComfyLogger;
  metrics?: MetricsStore;
  heartbeatMs: number;
  backoff?: RetryBackoff;
  random?: () => number;
  /** The lower-memory form the job could still switch to (for an OOM decision). */
  lowerMemoryId?: string;
  excluded: string[];
  /** The prompt left the GPU (downloads may follow): its slot on the worker is free. */
  onExecuted?: () => void;
}

/** A job prepared for one worker: its template, final parameters and routing facts. */
export interface PlannedJob {
  job: Job;
  payload: JobPayload;
  template: AnyTemplate;
  params: Record<string, unknown>;
  variant: string | null;
  task: RoutableTask;
  assignment?: Assignment;
}

const isLeaseLost = (error: unknown) => codeOf(error) === 'QUEUE_LEASE_LOST' || (error as { name?: string })?.name === 'LeaseLostError';

/**
 * One attempt of one job on one worker: build, preflight, upload, store the prompt id, submit
 * (or re-attach to the stored prompt), follow the events, download, complete; or hand the
 * error to the failure policy. Heartbeats the lease all along. `abort(error)` ends the wait
 * for the worker (it was marked down); `release()` stops without touching the job.
 */
export class PromptRun {
  readonly jobId: string;
  started = false;
  /** The prompt finished on the worker (we may still be downloading its outputs). */
  executed = false;
  promptId: string | undefined;
  private readonly leasedAt = Date.now();
  private abortWith!: (error: unknown) => void;
  private readonly aborted: Promise<never>;
  private released = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private handle: JobHandle | undefined;
  private t = { uploadMs: 0, submittedAt: null as number | null, downloadMs: 0 };
  private timer: NodeTimer | undefined;

  constructor(
    readonly planned: PlannedJob,
    readonly worker: string,
    readonly owner: string,
    private readonly ctx: RunContext,
  ) {
    this.jobId = planned.job.id;
    this.aborted = new Promise<never>((_, reject) => (this.abortWith = reject));
    this.aborted.catch(() => undefined);
  }

  /** The router's picture of this prompt on its worker. */
  get queuedWork(): QueuedWork {
    const e = this.planned.assignment?.estimate;
    return { taskId: this.jobId, templateId: this.planned.task.templateId, models: this.planned.task.models.map((m) => m.file), remainingMs: e ? e.loadMs + e.runMs : 0 };
  }

  abort(error: unknown): void {
    this.abortWith(error);
  }

  /** Stops heartbeating and leaves the job leased: its lease expires and another dispatcher re-attaches. */
  release(): void {
    this.released = true;
    this.stopHeartbeat();
    this.abortWith(Object.assign(new Error('released'), { code: 'DISPATCH_RELEASED' }));
  }

  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.aborted]);
  }

  async execute(): Promise<void> {
    const { job } = this.planned;
    this.heartbeat = setInterval(() => {
      this.ctx.queue.heartbeat(job.id, this.owner).catch((error: unknown) => {
        if (isLeaseLost(error)) this.abort(error);
      });
    }, this.ctx.heartbeatMs);
    this.heartbeat.unref();
    try {
      const { result, graph } = await this.runPrompt();
      const outputs = await this.guard(this.download(result));
      await this.finish(result, graph, outputs);
    } catch (error) {
      await this.failed(error);
    } finally {
      this.stopHeartbeat();
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private async runPrompt(): Promise<{ result: JobResult; graph: ApiGraph }> {
    const { job, payload, template } = this.planned;
    const client = this.ctx.pool.client(this.worker);
    const params = { ...this.planned.params };
    const prepared = await this.guard(Promise.all(payload.inputs.map((input) => this.ctx.uploads.prepare(job.id, input))));
    for (const input of prepared) params[input.name] = input.inputValue;
    const graph = template.build(params);
    const stored = job.promptRef !== null && job.promptRef.workerName === this.worker ? job.promptRef.promptId : undefined;
    let reattach = stored !== undefined;
    // On a current worker the stored id settles it: the prompt is there under that id (follow
    // it) or never arrived (submit it under the same id). Older workers keep re-attaching.
    if (stored !== undefined && (await this.guard(client.protocol().catch(() => '0.3.64' as const))) === 'current') {
      reattach = (await this.guard(client.promptPresence(stored))) !== 'absent';
    }
    if (reattach) {
      this.promptId = stored!;
      this.handle = client.attach(this.promptId);
    } else {
      const snapshot = this.ctx.pool.snapshot(this.worker);
      if (snapshot) {
        const report = this.ctx.preflights.check(graph, snapshot, template, params);
        if (!report.ok && report.problems.every((p) => p.kind === 'vram')) throw new VramShortError(job.id, this.worker, report.problems.map((p) => p.message).join('; '));
        if (!report.ok) throw new PreflightFailedError(job.id, report);
      }
      const uploadStart = Date.now();
      await this.guard(Promise.all(prepared.map((input) => this.ctx.uploads.upload(this.worker, client, input))));
      this.t.uploadMs = Date.now() - uploadStart;
      // Stored before the POST: a dispatcher that dies in between re-attaches (or, on a current
      // worker, submits under this same id) instead of submitting twice.
      this.promptId = stored ?? randomUUID();
      if (stored === undefined) await this.guard(this.ctx.queue.setPromptRef(job.id, this.owner, { workerName: this.worker, promptId: this.promptId }));
      this.t.submittedAt = Date.now();
      this.handle = await this.guard(client.submit(graph, { promptId: this.promptId }));
    }
    this.ctx.events.emit('prompt.submitted', { jobId: job.id, worker: this.worker, promptId: this.promptId, attempt: job.attempts, reattached: reattach });
    const handle = this.handle;
    const timer = (this.timer = new NodeTimer((id) => graph[id]?.class_type));
    const follow = (async () => {
      for await (const event of handle.events) {
        timer.observe(event);
        if (!this.started && (event.type === 'started' || event.type === 'executing')) {
          this.started = true;
          this.ctx.events.emit('prompt.started', { jobId: job.id, worker: this.worker, promptId: handle.promptId });
        }
        this.ctx.events.emit('progress', { jobId: job.id, worker: this.worker, promptId: handle.promptId, event });
      }
    })();
    follow.catch(() => undefined);
    const result = await this.guard(handle.result());
    this.executed = true;
    this.ctx.onExecuted?.();
    return { result, graph };
  }

  private async download(result: JobResult): Promise<DispatchedResult['outputs']> {
    const wanted = this.planned.payload.outputs;
    const files = result.files.filter(
      (f: OutputFile) =>
        (f.type === 'output' || (wanted.includeTemp === true && f.type === 'temp')) &&
        (!wanted.kinds || wanted.kinds.includes(f.kind)) &&
        (!wanted.nodeIds || wanted.nodeIds.includes(f.nodeId)),
    );
    const client = this.ctx.pool.client(this.worker);
    const start = Date.now();
    const outputs: DispatchedResult['outputs'] = [];
    for (const file of files) {
      const stored = await this.ctx.sink(file, (dest) => client.download(file, dest), { id: this.jobId, attempt: this.planned.job.attempts });
      outputs.push({ nodeId: file.nodeId, kind: file.kind, filename: file.filename, subfolder: file.subfolder, type: file.type, ...stored });
    }
    this.t.downloadMs = Date.now() - start;
    return outputs;
  }

  private execTimes(result?: JobResult): { startedAt: number | null; finishedAt: number | null; executeMs: number | null } {
    const startedAt = result?.startedAt ?? this.timer?.startedAt ?? null;
    const finishedAt = result?.finishedAt ?? this.timer?.endedAt ?? null;
    return { startedAt, finishedAt, executeMs: startedAt !== null && finishedAt !== null ? Math.max(0, finishedAt - startedAt) : null };
  }

  private async finish(result: JobResult, graph: ApiGraph, outputs: DispatchedResult['outputs']): Promise<void> {
    const { job, task, assignment } = this.planned;
    const times = this.execTimes(result);
    const snapshot = this.ctx.pool.snapshot(this.worker);
    const dispatched: DispatchedResult = {
      promptId: this.promptId!,
      worker: this.worker,
      gpu: { profile: this.ctx.pool.profileOf(this.worker), name: snapshot?.gpuName ?? null },
      attempt: job.attempts,
      variant: this.planned.variant,
      reattached: this.t.submittedAt === null,
      outputs,
      timings: { queuedMs: this.queuedMs(), uploadMs: this.t.uploadMs, executeMs: times.executeMs, downloadMs: this.t.downloadMs, nodes: this.timer?.nodes ?? {} },
    };
    await this.ctx.queue.complete(job.id, this.owner, dispatched as unknown as Json);
    this.ctx.pool.inventory.recordCompletedJob(this.worker, graph);
    this.ctx.pool.monitor.recordJobOutcome(this.worker, true);
    const view = this.ctx.pool.view(this.worker);
    if (view && times.executeMs !== null) this.ctx.router.observe(task, view, times.executeMs, assignment?.estimate.loadMs ?? 0);
    this.record('completed', null, times);
    this.ctx.events.emit('job.completed', { jobId: job.id, worker: this.worker, result: dispatched });
  }

  private queuedMs(): number {
    const job = this.planned.job;
    return Math.max(0, this.leasedAt - Math.max(job.createdAt, job.readyAt ?? 0));
  }

  private async failed(error: unknown): Promise<void> {
    const { job } = this.planned;
    if (this.released) return this.record('released', 'DISPATCH_RELEASED', this.execTimes());
    if (isLeaseLost(error)) {
      // Cancelled or taken over: stop the prompt only when the job was cancelled.
      const now = await this.ctx.queue.get(job.id).catch(() => undefined);
      if (now?.state === 'cancelled') await this.handle?.cancel().catch(() => undefined);
      this.ctx.logger.warn({ jobId: job.id, worker: this.worker, state: now?.state }, 'lease lost; stopped following the job');
      return this.record('cancelled', codeOf(error), this.execTimes());
    }
    const policyWorkers = this.ctx.pool.policyWorkers();
    const self = policyWorkers.find((w) => w.name === this.worker);
    const decision: Decision = decide(error, job, {
      ...(self ? { worker: self } : {}),
      workers: policyWorkers,
      excluded: this.ctx.excluded,
      lowerMemory: this.ctx.lowerMemoryId ? { id: this.ctx.lowerMemoryId } : undefined,
      ...(this.ctx.backoff ? { backoff: this.ctx.backoff } : {}),
      ...(this.ctx.random ? { random: this.ctx.random } : {}),
    });
    this.ctx.logger.warn({ jobId: job.id, worker: this.worker, code: decision.code, action: decision.action }, decision.reason);
    if (decision.code !== 'DISPATCH_WORKER_DOWN') this.ctx.pool.monitor.recordJobOutcome(this.worker, decision.action !== 'retry' || decision.code === 'COMFY_OUT_OF_MEMORY');
    try {
      if (decision.action === 'cancel') {
        await this.ctx.queue.cancel(job.id);
        this.ctx.events.emit('job.cancelled', { jobId: job.id, worker: this.worker, reason: decision.reason });
      } else {
        const retry = decision.action === 'retry';
        const after = await this.ctx.queue.fail(job.id, this.owner, { code: decision.code, message: decision.reason }, { retry, delayMs: decision.delayMs });
        if (after.state === 'ready') this.ctx.events.emit('job.retried', { jobId: job.id, worker: this.worker, decision });
        else this.ctx.events.emit('job.failed', { jobId: job.id, worker: this.worker, decision });
      }
    } catch (queueError) {
      if (!isLeaseLost(queueError)) throw queueError;
    }
    const outcome: PromptOutcome = decision.action === 'cancel' ? 'cancelled' : decision.action === 'retry' && job.attempts < job.maxAttempts ? 'retried' : 'failed';
    this.record(outcome, decision.code, this.execTimes());
  }

  private record(outcome: PromptOutcome, errorCode: string | null, times: { startedAt: number | null; finishedAt: number | null; executeMs: number | null }): void {
    const { job, task, assignment } = this.planned;
    try {
      this.ctx.metrics?.record({
        jobId: job.id,
        attempt: job.attempts,
        worker: this.worker,
        gpu: this.ctx.pool.profileOf(this.worker),
        promptId: this.promptId ?? null,
        templateId: task.templateId,
        outcome,
        errorCode,
        createdAt: job.createdAt,
        leasedAt: this.leasedAt,
        submittedAt: this.t.submittedAt,
        ...times,
        doneAt: Date.now(),
        queuedMs: this.queuedMs(),
        uploadMs: this.t.uploadMs,
        downloadMs: this.t.downloadMs,
        modelLoads: outcome === 'completed' ? (assignment?.estimate.loads.length ?? 0) : 0,
        nodes: this.timer?.nodes ?? {},
        reattached: this.t.submittedAt === null && job.promptRef !== null && job.promptRef.workerName === this.worker,
      });
    } catch (error) {
      this.ctx.logger.error({ err: error, jobId: job.id }, 'could not record metrics');
    }
  }
}
