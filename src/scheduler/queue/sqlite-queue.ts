import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { JobNotFoundError } from './errors/job-not-found-error.js';
import { decodeStoredJob, parseNewJob } from './job-schema.js';
import {
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
import * as t from './transitions.js';
import { ensureDirSync } from '../../platform/ensure-dir.js';
import { writingToSync } from '../../platform/storage-errors.js';
import { openForReading } from '../../platform/sqlite-reading.js';

export interface SqliteQueueOptions extends QueueOptions {
  /** A file path, or ':memory:' for a queue that lives as long as the process. */
  path: string;
  /** How long a writer waits for another process's transaction (default 5 000 ms). */
  busyTimeoutMs?: number;
  /** Read, never write (`status`): a missing file reads as an empty queue and is not created. */
  readOnly?: boolean;
}

const SCHEMA_VERSION = 1;
const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      state TEXT NOT NULL,
      priority INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      ready_at INTEGER,
      lease_expires_at INTEGER,
      doc TEXT NOT NULL
    );
    CREATE INDEX jobs_ready_by_priority ON jobs (state, priority DESC, seq);
    CREATE INDEX jobs_lease_expiry ON jobs (state, lease_expires_at);
    CREATE TABLE job_dependents (
      dep_id TEXT NOT NULL,
      job_id TEXT NOT NULL,
      PRIMARY KEY (dep_id, job_id)
    ) WITHOUT ROWID;
    CREATE TABLE queue_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO queue_meta (name, value) VALUES ('next_seq', 1);
  `,
};

/**
 * The default queue: one SQLite file in WAL mode. Every transition runs in a
 * `BEGIN IMMEDIATE` transaction, so several processes on one file serialise their writes
 * and a job is never leased twice.
 */
export class SqliteJobQueue implements JobQueue {
  readonly events = new QueueEvents();
  private readonly db: Database.Database;
  private readonly clock: () => number;
  private readonly leaseMs: number;
  private readonly defaults: t.JobDefaults;
  private readonly statements;

  constructor(options: SqliteQueueOptions) {
    const readOnly = options.readOnly === true && options.path !== ':memory:' && existsSync(options.path);
    const path = options.readOnly && !readOnly ? ':memory:' : options.path;
    if (path !== ':memory:' && !readOnly) ensureDirSync(dirname(path));
    this.db = readOnly ? openForReading(path) : writingToSync(path, () => new Database(path));
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    ({ clock: this.clock, leaseMs: this.leaseMs, defaults: this.defaults } = queueSettings(options));
    if (!readOnly) {
      writingToSync(path, () => this.db.pragma('journal_mode = WAL'));
      this.db.pragma('synchronous = NORMAL');
      writingToSync(path, () => this.migrate());
    }
    this.statements = {
      get: this.db.prepare<[string], { doc: string }>('SELECT doc FROM jobs WHERE id = ?'),
      insert: this.db.prepare(
        `INSERT INTO jobs (id, kind, state, priority, seq, ready_at, lease_expires_at, doc)
         VALUES (@id, @kind, @state, @priority, @seq, @readyAt, @leaseExpiresAt, @doc)`,
      ),
      update: this.db.prepare(
        `UPDATE jobs SET state = @state, seq = @seq, ready_at = @readyAt, lease_expires_at = @leaseExpiresAt, doc = @doc
         WHERE id = @id`,
      ),
      nextSeq: this.db.prepare<[], { value: number }>(
        "UPDATE queue_meta SET value = value + 1 WHERE name = 'next_seq' RETURNING value - 1 AS value",
      ),
      addDependent: this.db.prepare('INSERT OR IGNORE INTO job_dependents (dep_id, job_id) VALUES (?, ?)'),
      dependents: this.db.prepare<[string], { job_id: string }>('SELECT job_id FROM job_dependents WHERE dep_id = ?'),
      ready: this.db.prepare<[number, number, number, number], { doc: string }>(
        `SELECT doc FROM jobs WHERE state = 'ready' AND (ready_at IS NULL OR ready_at <= ?)
           AND (priority < ? OR (priority = ? AND seq > ?))
         ORDER BY priority DESC, seq ASC LIMIT 200`,
      ),
      expired: this.db.prepare<[number], { doc: string }>(
        "SELECT doc FROM jobs WHERE state = 'leased' AND lease_expires_at <= ? ORDER BY seq",
      ),
      counts: this.db.prepare<[], { state: JobState; n: number }>('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state'),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return;
    this.db
      .transaction(() => {
        // Re-read inside the write lock: another process may have migrated meanwhile.
        const current = this.db.pragma('user_version', { simple: true }) as number;
        for (let v = current + 1; v <= SCHEMA_VERSION; v++) this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      .immediate();
  }

  /** Runs `fn` in BEGIN IMMEDIATE, then announces its events once committed. */
  private write<T>(fn: (emit: (event: QueueEvent) => void) => T): T {
    const events: QueueEvent[] = [];
    const result = this.db.transaction(() => fn((event) => events.push(event))).immediate();
    this.events.announce(events);
    return result;
  }

  private load(id: string): Job | undefined {
    const row = this.statements.get.get(id);
    return row ? decodeStoredJob(row.doc) : undefined;
  }

  private mustLoad(id: string): Job {
    const job = this.load(id);
    if (!job) throw new JobNotFoundError(id);
    return job;
  }

  private row(job: Job) {
    return {
      id: job.id,
      kind: job.kind,
      state: job.state,
      priority: job.priority,
      seq: job.seq,
      readyAt: job.readyAt,
      leaseExpiresAt: job.lease?.expiresAt ?? null,
      doc: JSON.stringify(job),
    };
  }

  private store(job: Job): Job {
    this.statements.update.run(this.row(job));
    return job;
  }

  private nextSeq = (): number => this.statements.nextSeq.get()!.value;

  private stateOf = (id: string): JobState | undefined => this.load(id)?.state;

  /** After `id` finished, moves its waiting dependents on (transitively for failures). */
  private settleDependents(id: string, now: number, emit: (event: QueueEvent) => void): void {
    const work = [id];
    while (work.length > 0) {
      const finished = work.shift()!;
      for (const { job_id } of this.statements.dependents.all(finished)) {
        const dependent = this.load(job_id);
        const next = dependent && t.resolveDependent(dependent, this.stateOf, now, this.nextSeq);
        if (!next) continue;
        this.store(next);
        if (next.state === 'failed') {
          emit(['failed', next]);
          work.push(next.id);
        }
      }
    }
  }

  async add(jobs: NewJob[]): Promise<Job[]> {
    const inputs = jobs.map(parseNewJob);
    return this.write((emit) => {
      const now = this.clock();
      return inputs.map((input) => {
        const existing = this.load(input.id);
        if (existing) return existing;
        const seq = this.nextSeq();
        const job = t.createJob(input, seq, now, this.defaults, this.stateOf);
        this.statements.insert.run(this.row(job));
        for (const dep of job.dependsOn) this.statements.addDependent.run(dep, job.id);
        emit(['added', job]);
        if (job.state === 'failed') emit(['failed', job]);
        // A dependency can be added after its dependents; they may be waiting on it already.
        if (t.isFinal(job.state)) this.settleDependents(job.id, now, emit);
        return job;
      });
    });
  }

  async get(id: string): Promise<Job | undefined> {
    return this.load(id);
  }

  async list(filter: ListFilter = {}): Promise<Job[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state !== undefined) {
      const states = Array.isArray(filter.state) ? filter.state : [filter.state];
      where.push(`state IN (${states.map(() => '?').join(', ')})`);
      params.push(...states);
    }
    if (filter.kind !== undefined) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    const sql =
      `SELECT doc FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY priority DESC, seq ASC` +
      (filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '');
    return (this.db.prepare(sql).all(...params) as { doc: string }[]).map((row) => decodeStoredJob(row.doc));
  }

  async lease(owner: string, options: LeaseOptions = {}): Promise<Job[]> {
    const max = options.max ?? 1;
    const kinds = options.kinds ? new Set(options.kinds) : undefined;
    return this.write((emit) => {
      const now = this.clock();
      const leased: Job[] = [];
      let after = { priority: Number.MAX_SAFE_INTEGER, seq: 0 };
      while (leased.length < max) {
        const page = this.statements.ready.all(now, after.priority, after.priority, after.seq);
        if (page.length === 0) break;
        for (const row of page) {
          const job = decodeStoredJob(row.doc);
          after = { priority: job.priority, seq: job.seq };
          if (kinds && !kinds.has(job.kind)) continue;
          if (options.filter && !options.filter(job)) continue;
          const next = this.store(t.leaseJob(job, owner, now, this.leaseMs));
          leased.push(next);
          emit(['leased', next]);
          if (leased.length === max) break;
        }
      }
      return leased;
    });
  }

  async heartbeat(jobId: string, owner: string): Promise<Job> {
    return this.write(() => this.store(t.heartbeatJob(this.mustLoad(jobId), owner, this.clock(), this.leaseMs)));
  }

  async setPromptRef(jobId: string, owner: string, ref: PromptRef): Promise<Job> {
    return this.write(() => this.store(t.setPromptRef(this.mustLoad(jobId), owner, ref, this.clock())));
  }

  async complete(jobId: string, owner: string, result: Json): Promise<Job> {
    return this.write((emit) => {
      const now = this.clock();
      const job = this.store(t.completeJob(this.mustLoad(jobId), owner, result, now));
      emit(['completed', job]);
      this.settleDependents(jobId, now, emit);
      return job;
    });
  }

  async fail(jobId: string, owner: string, error: JobError, options: FailOptions): Promise<Job> {
    return this.write((emit) => {
      const now = this.clock();
      const { job, retried } = t.failJob(this.mustLoad(jobId), owner, error, options, now, this.nextSeq);
      this.store(job);
      emit([retried ? 'retried' : 'failed', job]);
      if (!retried) this.settleDependents(jobId, now, emit);
      return job;
    });
  }

  async cancel(jobId: string): Promise<Job | undefined> {
    return this.write((emit) => {
      const now = this.clock();
      const job = this.load(jobId);
      if (!job) return undefined;
      const cancelled = t.cancelJob(job, now);
      if (!cancelled) return job;
      this.store(cancelled);
      emit(['cancelled', cancelled]);
      this.settleDependents(jobId, now, emit);
      return cancelled;
    });
  }

  async recoverExpiredLeases(now: number = this.clock()): Promise<Job[]> {
    return this.write((emit) =>
      this.statements.expired.all(now).map((row) => {
        const job = this.store(t.recoverJob(decodeStoredJob(row.doc), now, this.nextSeq));
        emit([job.state === 'failed' ? 'failed' : 'recovered', job]);
        if (job.state === 'failed') this.settleDependents(job.id, now, emit);
        return job;
      }),
    );
  }

  async counts(): Promise<JobCounts> {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as JobCounts;
    for (const { state, n } of this.statements.counts.all()) counts[state] = n;
    return counts;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
