import { randomBytes } from 'node:crypto';
import type { ComfyLogger } from '../../comfy/client/logger.js';
import { silentLogger } from '../../comfy/client/logger.js';
import type { RetryBackoff } from '../failure-policy/backoff.js';
import { decide } from '../failure-policy/decide.js';
import type { MetricsStore } from '../metrics/metrics-store.js';
import type { Job, JobQueue } from '../queue/job-queue.js';
import { splitFeasible } from '../router/feasibility.js';
import { NoFeasibleWorkerError } from '../router/errors/no-feasible-worker-error.js';
import { Router } from '../router/router.js';
import type { Assignment, WorkerView } from '../router/types.js';
import { DispatcherEvents } from './dispatcher-events.js';
import { InputUploads, type InputResolver } from './input-uploads.js';
import { planJob, type JobPlan } from './job-planning.js';
import { directorySink, type OutputSink } from './output-sink.js';
import { ownerFor } from './owner.js';
import { OrphanPrompts } from './orphan-prompts.js';
import { PreflightCache } from './preflight-cache.js';
import { PromptRun } from './prompt-run.js';
import { WorkerDownError } from './errors/worker-down-error.js';
import type { WorkerPool } from './worker-pool.js';

export interface DispatcherOptions {
  queue: JobQueue;
  pool: WorkerPool;
  /** Default: model affinity, one prompt queued behind the running one per worker. */
  router?: Router;
  /** Names this dispatcher in lease owners (`gpu-a@<id>`); no '@'. Default: host-pid-random. */
  id?: string;
  /** Only jobs of these kinds. */
  kinds?: string[];
  /** Where outputs go; default `directorySink(outputDir)`. */
  sink?: OutputSink;
  outputDir?: string;
  resolveInput?: InputResolver;
  metrics?: MetricsStore;
  logger?: ComfyLogger;
  /** Lease heartbeat period; well under the queue's leaseMs (default 10 s). */
  heartbeatMs?: number;
  /** Polls the queue this often besides reacting to events (default 500 ms). */
  pollMs?: number;
  /** Retry backoff of the failure policy. */
  backoff?: RetryBackoff;
  random?: () => number;
  /** A job whose prompt is on a worker that stays down this long is run elsewhere (default 60 s). */
  reattachPatienceMs?: number;
}

/**
 * Moves ready jobs from the durable queue onto GPU workers. Each pass: recover expired
 * leases; send jobs that already have a prompt back to that prompt's worker (re-attach);
 * route the others with the Router over the healthy workers and what is in flight on them
 * (at most one prompt queued behind the running one per worker); lease each assigned job as
 * `worker@dispatcher` and run it (`PromptRun`). A worker the health monitor marks down has its
 * prompts moved elsewhere by the failure policy.
 *
 * @example
 * const dispatcher = new Dispatcher({ queue, pool, outputDir: 'out' });
 * await pool.start(); dispatcher.start();
 * dispatcher.events.on('job.completed', (e) => console.log(e.jobId, e.result.outputs));
 * await dispatcher.stop();
 */
export class Dispatcher {
  readonly id: string;
  readonly events = new DispatcherEvents();
  readonly router: Router;
  private readonly uploads: InputUploads;
  private readonly preflights = new PreflightCache();
  private readonly orphans = new OrphanPrompts();
  private readonly plans = new Map<string, JobPlan>();
  private readonly sink: OutputSink;
  private readonly logger: ComfyLogger;
  private readonly runs = new Map<string, { run: PromptRun; done: Promise<void> }>();
  private readonly offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private running = false;

  constructor(private readonly o: DispatcherOptions) {
    this.id = o.id ?? `d-${process.pid}-${randomBytes(3).toString('hex')}`;
    if (this.id.includes('@')) throw new TypeError(`dispatcher id may not contain '@': ${this.id}`);
    this.router = o.router ?? new Router();
    this.uploads = new InputUploads(o.resolveInput);
    this.sink = o.sink ?? directorySink(o.outputDir ?? 'out');
    this.logger = o.logger ?? silentLogger;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const wake = () => this.wake();
    for (const name of ['added', 'retried', 'recovered', 'completed'] as const) {
      this.o.queue.events.on(name, wake);
      this.offs.push(() => this.o.queue.events.off(name, wake));
    }
    this.offs.push(this.o.pool.monitor.events.on('worker.state_changed', (e) => (e.to === 'down' ? this.workerDown(e.worker, e.reason) : this.wake())));
    this.offs.push(this.o.pool.monitor.events.on('worker.restarted', (e) => this.uploads.forget(e.worker)));
    this.offs.push(this.o.pool.monitor.events.on('worker.recovered', (e) => void this.clearOrphans(e.worker)));
    this.timer = setInterval(wake, this.o.pollMs ?? 500);
    this.wake();
  }

  /**
   * Stops leasing. `finish` (default) waits for the jobs in flight, up to `timeoutMs`, then
   * releases the rest; `release` leaves them at once: their prompts keep running, their leases
   * expire and the next dispatcher re-attaches.
   */
  async stop(options: { mode?: 'finish' | 'release'; timeoutMs?: number } = {}): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    for (const off of this.offs.splice(0)) off();
    await this.ticking;
    const pending = [...this.runs.values()];
    if (options.mode !== 'release') {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(pending.map((r) => r.done)),
        new Promise((resolve) => (timeout = setTimeout(resolve, options.timeoutMs ?? 30_000))),
      ]);
      clearTimeout(timeout);
    }
    for (const { run } of this.runs.values()) run.release();
    await Promise.all(pending.map((r) => r.done));
  }

  /** Jobs in flight per worker (running first). */
  inFlight(worker: string): PromptRun[] {
    return [...this.runs.values()].map((r) => r.run).filter((r) => r.worker === worker).sort((a, b) => Number(b.started) - Number(a.started));
  }

  /** Resolves when no job is in flight and a pass found nothing to lease (tests, `run`). */
  async idle(): Promise<void> {
    for (;;) {
      await this.ticking;
      await Promise.all([...this.runs.values()].map((r) => r.done));
      const counts = await this.o.queue.counts();
      if (this.runs.size === 0 && counts.leased === 0 && counts.ready === 0 && counts.waiting === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  wake(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (error) {
          this.logger.error({ err: error }, 'dispatch pass failed');
          this.events.emit('dispatcher.error', { error, where: 'pass' });
        }
      } while (this.again && this.running);
    })().finally(() => (this.ticking = undefined));
  }

  private views(): WorkerView[] {
    return this.o.pool.names().flatMap((name) => {
      // A prompt that left the GPU no longer holds a slot, even while its outputs download.
      const view = this.o.pool.view(name, this.inFlight(name).filter((r) => !r.executed).map((r) => r.queuedWork));
      return view ? [view] : [];
    });
  }

  private async pass(): Promise<void> {
    // A lease that expired on the job's last attempt ends it (queue.maxAttempts): say so.
    for (const job of await this.o.queue.recoverExpiredLeases()) {
      if (job.state !== 'failed') continue;
      const reason = job.error?.message ?? 'its lease expired on its last attempt';
      this.events.emit('job.failed', { jobId: job.id, worker: undefined as never, decision: { action: 'fail', code: job.error?.code ?? 'LEASE_EXPIRED', delayMs: 0, reason } });
    }
    let views = this.views();
    if (views.every((v) => this.router.openSlots(v) === 0)) return;
    const now = Date.now();
    const kinds = this.o.kinds ? new Set(this.o.kinds) : undefined;
    const slots = views.reduce((n, v) => n + this.router.openSlots(v), 0);
    const ready = (await this.o.queue.list({ state: 'ready', limit: Math.max(16, slots * 4) })).filter(
      (j) => (!kinds || kinds.has(j.kind)) && (j.readyAt === null || j.readyAt <= now) && !this.runs.has(j.id),
    );
    const vramOf = (w: string) => this.o.pool.snapshot(w)?.vramBytes;
    const routed: JobPlan[] = [];
    const constrained: JobPlan[] = [];
    for (const job of ready) {
      let plan: JobPlan;
      try {
        plan = this.planned(job, vramOf);
      } catch (error) {
        await this.failUnroutable(job, error);
        continue;
      }
      const ref = job.promptRef;
      if (ref && this.o.pool.has(ref.workerName) && this.o.pool.downForMs(ref.workerName, now) < (this.o.reattachPatienceMs ?? 60_000)) {
        const view = views.find((v) => v.name === ref.workerName);
        if (view && view.healthy && this.router.openSlots(view) > 0) {
          await this.launch(plan, ref.workerName);
          views = this.views();
        }
        continue;
      }
      const everywhere = views.map((v) => ({ ...v, healthy: true }));
      if (views.length === this.o.pool.names().length && splitFeasible(plan.task, everywhere).feasible.length === 0) {
        await this.failUnroutable(job, new NoFeasibleWorkerError(job.id, plan.task.templateId, splitFeasible(plan.task, everywhere).rejected));
        continue;
      }
      (plan.constraints.excluded.length > 0 || plan.constraints.minVramBytes > 0 ? constrained : routed).push(plan);
    }
    // Retried jobs first, one at a time over the workers their history allows.
    for (const plan of constrained) {
      const allowed = this.allowedViews(plan, views);
      const [assignment] = this.router.plan([plan.task], allowed).assignments;
      if (assignment && (await this.launch({ ...plan, assignment }, assignment.worker))) views = this.views();
    }
    const byId = new Map(routed.map((p) => [p.job.id, p]));
    const { assignments } = this.router.plan(routed.map((p) => p.task), views);
    for (const assignment of assignments) await this.launch({ ...byId.get(assignment.task.id)!, assignment }, assignment.worker);
  }

  /** Plans are pure functions of the job as stored: reused until the job changes (`updatedAt`). */
  private planned(job: Job, vramOf: (worker: string) => number | undefined): JobPlan {
    const key = `${job.id}\u0000${job.updatedAt}\u0000${job.attempts}`;
    const hit = this.plans.get(key);
    if (hit) return { ...hit, job };
    const plan = planJob(job, vramOf);
    if (this.plans.size > 5_000) this.plans.clear();
    this.plans.set(key, plan);
    return plan;
  }

  /** The workers a job's history allows; the exclusions are dropped when they would leave none at all. */
  private allowedViews(plan: JobPlan, views: WorkerView[]): WorkerView[] {
    const { excluded, minVramBytes } = plan.constraints;
    const all = this.o.pool.names();
    const bigEnough = (name: string) => (this.o.pool.snapshot(name)?.vramBytes ?? 0) > minVramBytes;
    const ok = (name: string) => !excluded.includes(name) && bigEnough(name);
    if (all.some(ok)) return views.filter((v) => ok(v.name));
    if (all.some(bigEnough)) return views.filter((v) => bigEnough(v.name));
    return views;
  }

  private async launch(plan: JobPlan & { assignment?: Assignment }, worker: string): Promise<boolean> {
    const owner = ownerFor(worker, this.id);
    const [job] = await this.o.queue.lease(owner, { max: 1, filter: (j) => j.id === plan.job.id });
    if (!job) return false;
    this.events.emit('job.leased', { jobId: job.id, worker, attempt: job.attempts });
    const run = new PromptRun({ ...plan, job }, worker, owner, {
      queue: this.o.queue,
      pool: this.o.pool,
      router: this.router,
      uploads: this.uploads,
      preflights: this.preflights,
      sink: this.sink,
      events: this.events,
      logger: this.logger,
      heartbeatMs: this.o.heartbeatMs ?? 10_000,
      excluded: plan.constraints.excluded,
      onExecuted: () => this.wake(),
      ...(plan.lowerMemoryId ? { lowerMemoryId: plan.lowerMemoryId } : {}),
      ...(this.o.metrics ? { metrics: this.o.metrics } : {}),
      ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
      ...(this.o.random ? { random: this.o.random } : {}),
    });
    const done = run
      .execute()
      .catch((error: unknown) => {
        this.logger.error({ err: error, jobId: job.id }, 'job run failed unexpectedly');
        this.events.emit('dispatcher.error', { error, where: `job ${job.id}` });
      })
      .finally(() => {
        this.runs.delete(job.id);
        this.wake();
      });
    this.runs.set(job.id, { run, done });
    return true;
  }

  /** A job that can never run here (bad payload, no worker has what it needs): fail it now, with the fix. */
  private async failUnroutable(job: Job, error: unknown): Promise<void> {
    const owner = ownerFor(undefined, this.id);
    const [leased] = await this.o.queue.lease(owner, { max: 1, filter: (j) => j.id === job.id });
    if (!leased) return;
    const decision = decide(error, leased, { workers: this.o.pool.policyWorkers() });
    const after = await this.o.queue.fail(leased.id, owner, { code: decision.code, message: decision.reason }, { retry: decision.action === 'retry', delayMs: decision.delayMs });
    this.events.emit(after.state === 'ready' ? 'job.retried' : 'job.failed', { jobId: job.id, worker: undefined as never, decision });
  }

  private workerDown(worker: string, reason: string): void {
    const runs = this.inFlight(worker);
    this.orphans.note(worker, runs.flatMap((r) => (r.promptId ? [r.promptId] : [])));
    this.uploads.forget(worker);
    for (const run of runs) run.abort(new WorkerDownError(worker, reason));
    // Closing the client stops its socket and any watcher still polling the dead worker.
    void this.o.pool.resetClient(worker);
    this.events.emit('worker.down', { worker, reason, moved: runs.map((r) => r.jobId) });
    this.logger.warn({ worker, reason, moved: runs.map((r) => r.jobId) }, 'worker down: its prompts move to other workers');
  }

  /** A worker that was down answers again: the prompts abandoned on it leave its queue. */
  private async clearOrphans(worker: string): Promise<void> {
    if (!this.orphans.has(worker) || !this.o.pool.has(worker)) return;
    try {
      const cleared = await this.orphans.clear(worker, this.o.pool.client(worker));
      if (cleared.deleted.length + cleared.interrupted.length === 0) return;
      this.events.emit('worker.orphans_cleared', { worker, ...cleared });
      this.logger.info({ worker, ...cleared }, 'worker back: deleted or interrupted the prompts left on it while it was down');
    } catch (error) {
      this.events.emit('dispatcher.error', { error, where: `clearing the prompts left on ${worker}` });
    }
  }
}
