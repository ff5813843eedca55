import type { Redis } from 'ioredis';
import { decodeStoredJob } from './job-schema.js';
import { JOB_STATES, type Job, type JobState } from './job-queue.js';

/** Reads and writes of one optimistic transaction (WATCH … MULTI … EXEC). */
export interface RecordTx {
  get(id: string): Promise<Job | undefined>;
  put(job: Job): void;
  addDependent(depId: string, jobId: string): void;
  dependents(id: string): Promise<string[]>;
  nextSeq(): Promise<number>;
}

/**
 * Our job records in Redis, beside BullMQ's own keys: one JSON string per job, a set per
 * state (counts, list), dependents per job, and the retry-due set on the injected clock.
 * Each `transact` WATCHes every key it reads and retries when another process wrote one
 * first, so transitions are atomic across processes. Calls from one process are
 * serialised, because WATCH belongs to the connection.
 */
export class RedisJobStore {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key = (...parts: string[]): string => `${this.prefix}:${parts.join(':')}`;
  private jobKey = (id: string) => this.key('job', id);
  stateKey = (state: JobState) => this.key('state', state);
  get retryKey(): string {
    return this.key('retry-at');
  }

  async get(id: string): Promise<Job | undefined> {
    const text = await this.redis.get(this.jobKey(id));
    return text === null ? undefined : decodeStoredJob(text);
  }

  async getMany(ids: string[]): Promise<Job[]> {
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(ids.map(this.jobKey));
    return texts.flatMap((text) => (text === null ? [] : [decodeStoredJob(text)]));
  }

  async idsIn(states: readonly JobState[]): Promise<string[]> {
    if (states.length === 0) return [];
    return this.redis.sunion(...states.map(this.stateKey));
  }

  async counts(): Promise<Record<JobState, number>> {
    const pipeline = this.redis.pipeline();
    for (const state of JOB_STATES) pipeline.scard(this.stateKey(state));
    const replies = (await pipeline.exec()) ?? [];
    return Object.fromEntries(JOB_STATES.map((state, i) => [state, Number(replies[i]?.[1] ?? 0)])) as Record<JobState, number>;
  }

  async dueRetries(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.retryKey, '-inf', now);
  }

  async clearRetry(id: string): Promise<void> {
    await this.redis.zrem(this.retryKey, id);
  }

  /** Runs `fn` until it commits without a conflicting write; `fn` must not have side effects. */
  transact<T>(fn: (tx: RecordTx) => Promise<T>): Promise<T> {
    const run = this.tail.then(() => this.attemptUntilCommitted(fn));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async attemptUntilCommitted<T>(fn: (tx: RecordTx) => Promise<T>): Promise<T> {
    for (;;) {
      const loaded = new Map<string, Job | undefined>();
      const written = new Map<string, Job>();
      const dependentsAdded: [string, string][] = [];
      const tx: RecordTx = {
        get: async (id) => {
          if (written.has(id)) return written.get(id);
          if (!loaded.has(id)) {
            await this.redis.watch(this.jobKey(id));
            const text = await this.redis.get(this.jobKey(id));
            loaded.set(id, text === null ? undefined : decodeStoredJob(text));
          }
          return loaded.get(id);
        },
        put: (job) => void written.set(job.id, job),
        addDependent: (depId, jobId) => void dependentsAdded.push([depId, jobId]),
        dependents: async (id) => {
          await this.redis.watch(this.key('dependents', id));
          return this.redis.smembers(this.key('dependents', id));
        },
        // Gaps are harmless: seq only orders, so it is taken outside the transaction.
        nextSeq: () => this.redis.incr(this.key('seq')),
      };
      let result: T;
      try {
        result = await fn(tx);
      } catch (error) {
        await this.redis.unwatch();
        throw error;
      }
      if (written.size === 0 && dependentsAdded.length === 0) {
        await this.redis.unwatch();
        return result;
      }
      const multi = this.redis.multi();
      for (const job of written.values()) {
        const before = loaded.get(job.id)?.state;
        multi.set(this.jobKey(job.id), JSON.stringify(job));
        if (before !== job.state) {
          if (before) multi.srem(this.stateKey(before), job.id);
          multi.sadd(this.stateKey(job.state), job.id);
        }
        if (job.state === 'ready' && job.readyAt !== null) multi.zadd(this.retryKey, job.readyAt, job.id);
        else multi.zrem(this.retryKey, job.id);
      }
      for (const [depId, jobId] of dependentsAdded) multi.sadd(this.key('dependents', depId), jobId);
      if ((await multi.exec()) !== null) return result;
    }
  }
}
