import { Job as BullJob, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { JobNotFoundError } from './errors/job-not-found-error.js';
import { parseNewJob, PRIORITY_LIMIT } from './job-schema.js';
import {
  FINAL_STATES,
  JOB_STATES,
  type FailOptions,
  type Job,
  type JobCounts,
  type JobError,
  type JobQueue,
  type JobState,
  type Json,
  type LeaseOptions,
  type ListFilter,
  type NewJob,
  type PromptRef,
  type QueueOptions,
} from './job-queue.js';
import { QueueEvents, type QueueEvent } from './queue-events.js';
import { queueSettings } from './queue-settings.js';
import { RedisJobStore, type RecordTx } from './redis-job-store.js';
import { assertRedisReachable } from './redis-reachable.js';
import * as t from './transitions.js';

export interface BullmqQueueOptions extends QueueOptions {
  /** redis://host:port/db */
  redisUrl: string;
  /** BullMQ queue name; processes sharing work use the same one (default 'storycore'). */
  name?: string;
  /** BullMQ key prefix (default 'bull'). */
  prefix?: string;
  /** How long opening may wait for Redis (`queue.redisConnectTimeoutMs`, default 5000). */
  connectTimeoutMs?: number;
}

/** Jobs a filter turned down are examined per call at most this many times over `max`. */
const SCAN_SLACK = 100;

/** BullMQ ids may not be integers or contain ':'; content hashes are neither, but be safe. */
const bullId = (id: string) => `j-${id.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
const ourId = (id: string) => id.slice(2).replaceAll('%3A', ':').replaceAll('%25', '%');
/** Ours: higher first, ±1e6. BullMQ's: 1 first, up to 2^21. */
const bullPriority = (priority: number) => PRIORITY_LIMIT + 1 - priority;

/**
 * The queue on Redis through BullMQ, for several orchestrator processes. BullMQ holds the
 * ready line (its prioritized set: priority, then FIFO), hands jobs out atomically with a
 * lock token (`Worker.getNextJob(owner)`), and moves them on with that token. Our record of
 * each job (history, promptRef, dependencies, lease expiry on the injected clock) sits in
 * `RedisJobStore` beside BullMQ's keys and is the truth; docs/queue.md has the mapping.
 */
export class BullmqJobQueue implements JobQueue {
  readonly events = new QueueEvents();
  private readonly clock: () => number;
  private readonly leaseMs: number;
  private readonly defaults: t.JobDefaults;

  private constructor(
    private readonly bull: Queue,
    private readonly worker: Worker,
    private readonly redis: Redis,
    private readonly store: RedisJobStore,
    options: BullmqQueueOptions,
  ) {
    ({ clock: this.clock, leaseMs: this.leaseMs, defaults: this.defaults } = queueSettings(options));
  }

  static async open(options: BullmqQueueOptions): Promise<BullmqJobQueue> {
    const name = options.name ?? 'storycore';
    const prefix = options.prefix ?? 'bull';
    await assertRedisReachable(options.redisUrl, options.connectTimeoutMs ?? 5_000);
    const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
    const bull = new Queue(name, { connection, prefix });
    // No processor and autorun off: we pull with getNextJob. Leases end by our clock and
    // heartbeats, so BullMQ's own lock renewal and stalled checker stay off.
    const worker = new Worker(name, null, {
      connection,
      prefix,
      autorun: false,
      lockDuration: queueSettings(options).leaseMs,
      skipLockRenewal: true,
      skipStalledCheck: true,
    });
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    // Redis lost later must not print a stack trace per reconnect attempt; the failing command reports it.
    for (const emitter of [bull, worker, redis] as { on(event: 'error', listener: (error: Error) => void): unknown }[]) emitter.on('error', () => undefined);
    await Promise.all([bull.waitUntilReady(), worker.waitUntilReady()]);
    return new BullmqJobQueue(bull, worker, redis, new RedisJobStore(redis, `${prefix}:${name}:sc`), options);
  }

  /** Like the SQLite backend's: waiting dependents of finished jobs move on; returns newly ready. */
  private async settleDependents(tx: RecordTx, id: string, now: number, emit: (e: QueueEvent) => void): Promise<Job[]> {
    const ready: Job[] = [];
    const work = [id];
    while (work.length > 0) {
      for (const dependentId of await tx.dependents(work.shift()!)) {
        const dependent = await tx.get(dependentId);
        if (!dependent || dependent.state !== 'waiting') continue;
        const states = new Map<string, JobState | undefined>();
        for (const dep of dependent.dependsOn) states.set(dep, (await tx.get(dep))?.state);
        const seq = await tx.nextSeq();
        const next = t.resolveDependent(dependent, (dep) => states.get(dep), now, () => seq);
        if (!next) continue;
        tx.put(next);
        if (next.state === 'ready') ready.push(next);
        else {
          emit(['failed', next]);
          work.push(next.id);
        }
      }
    }
    return ready;
  }

  private async enqueue(jobs: Job[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.bull.addBulk(
      jobs.map((job) => ({
        name: job.kind,
        data: { id: job.id, kind: job.kind },
        opts: { jobId: bullId(job.id), priority: bullPriority(job.priority), removeOnComplete: true, removeOnFail: true },
      })),
    );
  }

  /** Runs a token-checked BullMQ move as the owner, or with token '0' if its lock lapsed. */
  private async moveBull(id: string, owner: string | undefined, move: (job: BullJob, token: string) => Promise<unknown>) {
    const job = await BullJob.fromId(this.worker as never, bullId(id));
    if (!job) return;
    try {
      await move(job, owner ?? '0');
    } catch {
      // The record already changed; BullMQ only has to stop holding the job.
      await move(job, '0').catch(() => undefined);
    }
  }

  async add(jobs: NewJob[]): Promise<Job[]> {
    const inputs = jobs.map(parseNewJob);
    const events: QueueEvent[] = [];
    const { all, ready } = await this.store.transact(async (tx) => {
      events.length = 0;
      const now = this.clock();
      const all: Job[] = [];
      const ready: Job[] = [];
      for (const input of inputs) {
        const existing = await tx.get(input.id);
        if (existing) {
          all.push(existing);
          continue;
        }
        const states = new Map<string, JobState | undefined>();
        for (const dep of input.dependsOn ?? []) states.set(dep, (await tx.get(dep))?.state);
        const job = t.createJob(input, await tx.nextSeq(), now, this.defaults, (dep) => states.get(dep));
        tx.put(job);
        for (const dep of job.dependsOn) tx.addDependent(dep, job.id);
        events.push(['added', job]);
        if (job.state === 'ready') ready.push(job);
        if (job.state === 'failed') events.push(['failed', job]);
        if (t.isFinal(job.state)) await this.settleDependents(tx, job.id, now, (e) => events.push(e));
        all.push(job);
      }
      return { all, ready };
    });
    await this.enqueue(ready);
    this.events.announce(events);
    return all;
  }

  async get(id: string): Promise<Job | undefined> {
    return this.store.get(id);
  }

  async list(filter: ListFilter = {}): Promise<Job[]> {
    const states = filter.state === undefined ? JOB_STATES : Array.isArray(filter.state) ? filter.state : [filter.state];
    const jobs = (await this.store.getMany(await this.store.idsIn(states)))
      .filter((job) => filter.kind === undefined || job.kind === filter.kind)
      .sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    return filter.limit === undefined ? jobs : jobs.slice(0, Math.max(0, filter.limit));
  }

  /** Retries due on our clock are promoted out of BullMQ's delayed set ahead of its wall clock. */
  private async promoteDueRetries(now: number): Promise<void> {
    for (const id of await this.store.dueRetries(now)) {
      const job = await this.bull.getJob(bullId(id));
      if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
      await this.store.clearRetry(id);
    }
  }

  async lease(owner: string, options: LeaseOptions = {}): Promise<Job[]> {
    const max = options.max ?? 1;
    const kinds = options.kinds ? new Set(options.kinds) : undefined;
    const accepts = (job: Job) => (!kinds || kinds.has(job.kind)) && (!options.filter || options.filter(job));
    await this.promoteDueRetries(this.clock());
    const leased: Job[] = [];
    const turnedDown: BullJob[] = [];
    for (let scanned = 0; leased.length < max && scanned < max + SCAN_SLACK; scanned++) {
      const bullJob = await this.worker.getNextJob(owner, { block: false });
      if (!bullJob) break;
      const id = ourId(bullJob.id!);
      const now = this.clock();
      const outcome = await this.store.transact(async (tx) => {
        const job = await tx.get(id);
        if (!job || !t.isLeasable(job, now) || !accepts(job)) return { job, leased: undefined };
        const next = t.leaseJob(job, owner, now, this.leaseMs);
        tx.put(next);
        return { job, leased: next };
      });
      if (outcome.leased) {
        leased.push(outcome.leased);
        continue;
      }
      const job = outcome.job;
      if (job && job.state === 'ready' && t.isLeasable(job, now)) turnedDown.push(bullJob);
      else if (job && job.state === 'ready') await bullJob.moveToDelayed(Date.now() + (job.readyAt! - now), owner);
      else if (!job || t.isFinal(job.state)) await this.settleBull(bullJob, job, owner);
      // Held by a live lease or waiting on dependencies: out of the line until it is settled.
      else await bullJob.moveToDelayed(Date.now() + this.leaseMs, owner);
    }
    // Back to the front of their priority, so turning a job down does not cost it its place.
    for (const bullJob of turnedDown.reverse()) await bullJob.moveToWait(owner);
    this.events.announce(leased.map((job): QueueEvent => ['leased', job]));
    return leased;
  }

  private async settleBull(bullJob: BullJob, job: Job | undefined, token: string): Promise<void> {
    if (job?.state === 'completed') await bullJob.moveToCompleted(null, token, false);
    else await bullJob.moveToFailed(Object.assign(new Error(job?.error?.message ?? 'no record'), { name: 'UnrecoverableError' }), token, false);
  }

  private async ownerChecked(jobId: string, change: (job: Job, now: number) => Job): Promise<Job> {
    return this.store.transact(async (tx) => {
      const job = await tx.get(jobId);
      if (!job) throw new JobNotFoundError(jobId);
      const next = change(job, this.clock());
      tx.put(next);
      return next;
    });
  }

  async heartbeat(jobId: string, owner: string): Promise<Job> {
    const job = await this.ownerChecked(jobId, (job, now) => t.heartbeatJob(job, owner, now, this.leaseMs));
    const bullJob = await BullJob.fromId(this.worker as never, bullId(jobId));
    await bullJob?.extendLock(owner, this.leaseMs);
    return job;
  }

  async setPromptRef(jobId: string, owner: string, ref: PromptRef): Promise<Job> {
    return this.ownerChecked(jobId, (job, now) => t.setPromptRef(job, owner, ref, now));
  }

  async complete(jobId: string, owner: string, result: Json): Promise<Job> {
    const events: QueueEvent[] = [];
    const { job, ready } = await this.store.transact(async (tx) => {
      events.length = 0;
      const now = this.clock();
      const current = await tx.get(jobId);
      if (!current) throw new JobNotFoundError(jobId);
      const job = t.completeJob(current, owner, result, now);
      tx.put(job);
      events.push(['completed', job]);
      return { job, ready: await this.settleDependents(tx, jobId, now, (e) => events.push(e)) };
    });
    await this.moveBull(jobId, owner, (bullJob, token) => bullJob.moveToCompleted(null, token, false));
    await this.enqueue(ready);
    this.events.announce(events);
    return job;
  }

  async fail(jobId: string, owner: string, error: JobError, options: FailOptions): Promise<Job> {
    const events: QueueEvent[] = [];
    const { job, retried, ready } = await this.store.transact(async (tx) => {
      events.length = 0;
      const now = this.clock();
      const current = await tx.get(jobId);
      if (!current) throw new JobNotFoundError(jobId);
      const seq = await tx.nextSeq();
      const { job, retried } = t.failJob(current, owner, error, options, now, () => seq);
      tx.put(job);
      events.push([retried ? 'retried' : 'failed', job]);
      const ready = retried ? [] : await this.settleDependents(tx, jobId, now, (e) => events.push(e));
      return { job, retried, ready };
    });
    if (retried) {
      // Delayed by wall time in BullMQ too; promoteDueRetries releases it by our clock.
      const delay = job.readyAt === null ? 0 : job.readyAt - this.clock();
      await this.moveBull(jobId, owner, (bullJob, token) => bullJob.moveToDelayed(Date.now() + delay, token));
    } else {
      await this.moveBull(jobId, owner, (bullJob, token) => this.settleBull(bullJob, job, token));
    }
    await this.enqueue(ready);
    this.events.announce(events);
    return job;
  }

  async cancel(jobId: string): Promise<Job | undefined> {
    const events: QueueEvent[] = [];
    const outcome = await this.store.transact(async (tx) => {
      events.length = 0;
      const now = this.clock();
      const current = await tx.get(jobId);
      if (!current) return undefined;
      const cancelled = t.cancelJob(current, now);
      if (!cancelled) return { job: current, ready: [] as Job[], changed: false };
      tx.put(cancelled);
      events.push(['cancelled', cancelled]);
      return { job: cancelled, ready: await this.settleDependents(tx, jobId, now, (e) => events.push(e)), changed: true };
    });
    if (!outcome) return undefined;
    if (outcome.changed) {
      const bullJob = await this.bull.getJob(bullId(jobId));
      if (bullJob && (await bullJob.getState()) === 'active') await this.settleBull(bullJob, outcome.job, '0').catch(() => undefined);
      else await bullJob?.remove().catch(() => undefined);
    }
    await this.enqueue(outcome.ready);
    this.events.announce(events);
    return outcome.job;
  }

  async recoverExpiredLeases(now: number = this.clock()): Promise<Job[]> {
    const leasedIds = await this.store.idsIn(['leased']);
    const events: QueueEvent[] = [];
    const { recovered, ready } = await this.store.transact(async (tx) => {
      events.length = 0;
      const back: { job: Job; owner: string }[] = [];
      const unblocked: Job[] = [];
      for (const id of leasedIds) {
        const job = await tx.get(id);
        if (!job || !t.isExpired(job, now)) continue;
        const seq = await tx.nextSeq();
        const next = t.recoverJob(job, now, () => seq);
        tx.put(next);
        back.push({ job: next, owner: job.lease!.owner });
        events.push([next.state === 'failed' ? 'failed' : 'recovered', next]);
        // Out of attempts: its dependents fail with it, as after fail().
        if (next.state === 'failed') unblocked.push(...(await this.settleDependents(tx, id, now, (e) => events.push(e))));
      }
      return { recovered: back, ready: unblocked };
    });
    for (const { job, owner } of recovered) {
      if (job.state === 'failed') await this.moveBull(job.id, owner, (bullJob, token) => this.settleBull(bullJob, job, token));
      else await this.moveBull(job.id, owner, (bullJob, token) => bullJob.moveToDelayed(Date.now(), token));
    }
    await this.enqueue(ready);
    await this.reconcile();
    this.events.announce(events);
    return recovered.map(({ job }) => job);
  }

  /**
   * Repairs what a process that died between its record write and its BullMQ call left:
   * ready records BullMQ does not hold, and BullMQ-active jobs no lease accounts for.
   */
  private async reconcile(): Promise<void> {
    const readyIds = await this.store.idsIn(['ready']);
    if (readyIds.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const id of readyIds) pipeline.exists(this.bull.toKey(bullId(id)));
      const replies = (await pipeline.exec()) ?? [];
      const missing = readyIds.filter((_, i) => Number(replies[i]?.[1]) === 0);
      await this.enqueue(await this.store.getMany(missing));
    }
    for (const bullJob of await this.bull.getActive()) {
      // A job just handed out has no record lease yet: leave anything younger than a lease.
      if (Date.now() - (bullJob.processedOn ?? 0) < this.leaseMs) continue;
      const job = await this.store.get(ourId(bullJob.id!));
      if (job?.state === 'leased') continue;
      if (job && !FINAL_STATES.includes(job.state)) await bullJob.moveToDelayed(Date.now(), '0').catch(() => undefined);
      else await this.settleBull(bullJob, job, '0').catch(() => undefined);
    }
  }

  async counts(): Promise<JobCounts> {
    return this.store.counts();
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.bull.close();
    await this.redis.quit().catch(() => undefined);
  }
}
