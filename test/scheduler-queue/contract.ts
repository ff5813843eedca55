import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobQueue, QueueOptions } from '../../src/scheduler/queue/job-queue.js';

/**
 * Opens a queue on the named store. Two calls with one `store` are two independent
 * instances (two connections, as two processes would have) sharing the same data.
 */
export type MakeQueue = (store: string, options: QueueOptions) => Promise<JobQueue>;

/** A clock the test moves by hand: lease expiry and retry delays never wait on wall time. */
function manualClock(start = 1_750_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

let storeCounter = 0;
const freshStore = () => `contract-${process.pid}-${++storeCounter}-${Math.random().toString(36).slice(2, 8)}`;
const ids = (jobs: Job[]) => jobs.map((job) => job.id);

/**
 * Every rule of the JobQueue interface, run against each backend (BullMQ's
 * adapter-conformance pattern: one suite, every storage passes it).
 */
export function queueContract(name: string, makeQueue: MakeQueue): void {
  describe(`JobQueue contract: ${name}`, () => {
    const opened: JobQueue[] = [];
    const clock = manualClock();
    const open = async (store: string, options: QueueOptions = {}) => {
      const queue = await makeQueue(store, { clock: clock.now, leaseMs: 10_000, maxAttempts: 3, ...options });
      opened.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
    });

    it('adds idempotently by id: the stored job wins and nothing is duplicated', async () => {
      const queue = await open(freshStore());
      const [first] = await queue.add([{ id: 'hash-a', kind: 'keyframe', payload: { seed: 1 } }]);
      const again = await queue.add([
        { id: 'hash-a', kind: 'keyframe', payload: { seed: 2 } },
        { id: 'hash-b', kind: 'keyframe' },
        { id: 'hash-b', kind: 'clip' },
      ]);
      expect(first!.state).toBe('ready');
      expect(again[0]!.payload).toEqual({ seed: 1 });
      expect(again[2]!.kind).toBe('keyframe');
      expect((await queue.counts()).ready).toBe(2);
      expect(await queue.list()).toHaveLength(2);
    });

    it('rejects malformed jobs with QUEUE_INVALID_JOB', async () => {
      const queue = await open(freshStore());
      await expect(queue.add([{ id: '', kind: 'keyframe' }])).rejects.toMatchObject({ code: 'QUEUE_INVALID_JOB' });
      await expect(queue.add([{ id: 'x', kind: 'k', priority: 1.5 }])).rejects.toMatchObject({ code: 'QUEUE_INVALID_JOB' });
      await expect(queue.add([{ id: 'x', kind: 'k', dependsOn: ['x'] }])).rejects.toMatchObject({ code: 'QUEUE_INVALID_JOB' });
    });

    it('leases higher priority first and FIFO within one priority', async () => {
      const queue = await open(freshStore());
      await queue.add([
        { id: 'low', kind: 'k', priority: -5 },
        { id: 'high-1', kind: 'k', priority: 10 },
        { id: 'mid', kind: 'k' },
        { id: 'high-2', kind: 'k', priority: 10 },
        { id: 'mid-2', kind: 'k' },
      ]);
      const order: string[] = [];
      for (let i = 0; i < 5; i++) order.push(...ids(await queue.lease('a')));
      expect(order).toEqual(['high-1', 'high-2', 'mid', 'mid-2', 'low']);
      expect(await queue.lease('a')).toEqual([]);
    });

    it('leases up to max in order and marks them leased with an expiry', async () => {
      const queue = await open(freshStore());
      await queue.add(['j1', 'j2', 'j3'].map((id) => ({ id, kind: 'k' })));
      const leased = await queue.lease('owner-a', { max: 2 });
      expect(ids(leased)).toEqual(['j1', 'j2']);
      expect(leased[0]).toMatchObject({ state: 'leased', attempts: 1, lease: { owner: 'owner-a', expiresAt: clock.now() + 10_000 } });
      expect(leased[0]!.history).toEqual([
        { attempt: 1, worker: 'owner-a', startedAt: clock.now(), endedAt: null, error: null, note: null },
      ]);
      expect(await queue.counts()).toMatchObject({ ready: 1, leased: 2 });
    });

    it('filters by kinds and by predicate, leaving the rest in place and in order', async () => {
      const queue = await open(freshStore());
      await queue.add([
        { id: 'k1', kind: 'keyframe', payload: { model: 'flux' } },
        { id: 'c1', kind: 'clip', payload: { model: 'wan' } },
        { id: 'k2', kind: 'keyframe', payload: { model: 'sdxl' } },
        { id: 'c2', kind: 'clip', payload: { model: 'wan' } },
      ]);
      expect(ids(await queue.lease('a', { max: 5, kinds: ['clip'] }))).toEqual(['c1', 'c2']);
      const sdxlOnly = (job: Job) => (job.payload as { model: string }).model === 'sdxl';
      expect(ids(await queue.lease('a', { max: 5, filter: sdxlOnly }))).toEqual(['k2']);
      expect(ids(await queue.lease('b', { max: 5 }))).toEqual(['k1']);
    });

    it('holds a job until all its dependencies complete', async () => {
      const queue = await open(freshStore());
      await queue.add([
        { id: 'key', kind: 'keyframe' },
        { id: 'key-2', kind: 'keyframe' },
        { id: 'clip', kind: 'clip', dependsOn: ['key', 'key-2'], priority: 100 },
      ]);
      expect((await queue.get('clip'))!.state).toBe('waiting');
      const first = await queue.lease('a', { max: 5 });
      expect(ids(first)).toEqual(['key', 'key-2']);
      await queue.complete('key', 'a', { asset: 'sha-1' });
      expect((await queue.get('clip'))!.state).toBe('waiting');
      expect(await queue.lease('a')).toEqual([]);
      await queue.complete('key-2', 'a', { asset: 'sha-2' });
      expect((await queue.get('clip'))!.state).toBe('ready');
      expect(ids(await queue.lease('a'))).toEqual(['clip']);
    });

    it('waits for a dependency that is added later, and starts ready when it already completed', async () => {
      const queue = await open(freshStore());
      await queue.add([{ id: 'clip', kind: 'clip', dependsOn: ['key'] }]);
      expect((await queue.get('clip'))!.state).toBe('waiting');
      await queue.add([{ id: 'key', kind: 'keyframe' }]);
      await queue.lease('a');
      await queue.complete('key', 'a', null);
      expect((await queue.get('clip'))!.state).toBe('ready');
      const [late] = await queue.add([{ id: 'late', kind: 'clip', dependsOn: ['key'] }]);
      expect(late!.state).toBe('ready');
    });

    it('fails dependents (transitively, with the reason) when a dependency fails or is cancelled', async () => {
      const queue = await open(freshStore());
      await queue.add([
        { id: 'key', kind: 'keyframe' },
        { id: 'clip', kind: 'clip', dependsOn: ['key'] },
        { id: 'interp', kind: 'interpolate', dependsOn: ['clip'] },
        { id: 'other-key', kind: 'keyframe' },
        { id: 'other-clip', kind: 'clip', dependsOn: ['other-key'] },
      ]);
      await queue.lease('a');
      await queue.fail('key', 'a', { code: 'OUT_OF_MEMORY', message: 'CUDA out of memory' }, { retry: false });
      expect(await queue.get('clip')).toMatchObject({ state: 'failed', error: { code: 'DEPENDENCY_FAILED', message: 'dependency key failed' } });
      expect(await queue.get('interp')).toMatchObject({ state: 'failed', error: { message: 'dependency clip failed' } });
      await queue.cancel('other-key');
      expect(await queue.get('other-clip')).toMatchObject({ state: 'failed', error: { message: 'dependency other-key cancelled' } });
      const [born] = await queue.add([{ id: 'born-failed', kind: 'clip', dependsOn: ['key'] }]);
      expect(born!.state).toBe('failed');
    });

    it('never leases one job to two instances leasing concurrently on one store', async () => {
      const store = freshStore();
      const a = await open(store);
      const b = await open(store);
      await a.add(Array.from({ length: 60 }, (_, i) => ({ id: `job-${String(i).padStart(2, '0')}`, kind: 'k' })));
      const taken = new Map<string, string>();
      const drain = async (queue: JobQueue, owner: string) => {
        for (;;) {
          const jobs = await queue.lease(owner, { max: 3 });
          if (jobs.length === 0) return;
          for (const job of jobs) {
            expect(taken.get(job.id), `${job.id} leased twice`).toBeUndefined();
            taken.set(job.id, owner);
          }
        }
      };
      await Promise.all([drain(a, 'a'), drain(b, 'b'), drain(a, 'a2'), drain(b, 'b2')]);
      expect(taken.size).toBe(60);
      expect(await b.counts()).toMatchObject({ ready: 0, leased: 60 });
    });

    it('extends a lease on heartbeat and refuses a heartbeat from another owner', async () => {
      const queue = await open(freshStore());
      await queue.add([{ id: 'j', kind: 'k' }]);
      await queue.lease('a');
      clock.advance(8_000);
      const beat = await queue.heartbeat('j', 'a');
      expect(beat.lease).toEqual({ owner: 'a', expiresAt: clock.now() + 10_000 });
      clock.advance(8_000);
      expect(await queue.recoverExpiredLeases(clock.now())).toEqual([]);
      await expect(queue.heartbeat('j', 'b')).rejects.toMatchObject({ code: 'QUEUE_LEASE_LOST' });
      await expect(queue.heartbeat('missing', 'a')).rejects.toMatchObject({ code: 'QUEUE_JOB_NOT_FOUND' });
    });

    it('recovers an expired lease to ready, keeping promptRef, and the old owner loses it', async () => {
      const queue = await open(freshStore());
      const recovered: string[] = [];
      queue.events.on('recovered', (job) => recovered.push(job.id));
      await queue.add([{ id: 'j', kind: 'k' }, { id: 'other', kind: 'k' }]);
      await queue.lease('dead', { max: 2 });
      await queue.setPromptRef('j', 'dead', { workerName: 'gpu-1', promptId: 'p-123' });
      clock.advance(9_999);
      await queue.heartbeat('other', 'dead');
      expect(await queue.recoverExpiredLeases(clock.now())).toEqual([]);
      clock.advance(1);
      const back = await queue.recoverExpiredLeases(clock.now());
      expect(ids(back)).toEqual(['j']);
      expect(recovered).toEqual(['j']);
      expect(await queue.get('j')).toMatchObject({ state: 'ready', lease: null, promptRef: { workerName: 'gpu-1', promptId: 'p-123' } });
      await expect(queue.complete('j', 'dead', null)).rejects.toMatchObject({ code: 'QUEUE_LEASE_LOST' });
      await expect(queue.setPromptRef('j', 'dead', { workerName: 'x', promptId: 'y' })).rejects.toMatchObject({ code: 'QUEUE_LEASE_LOST' });
      const [again] = await queue.lease('alive');
      expect(again).toMatchObject({ id: 'j', attempts: 2, promptRef: { promptId: 'p-123' } });
      expect(again!.history[0]).toMatchObject({ worker: 'dead', endedAt: clock.now(), error: { code: 'LEASE_EXPIRED' } });
      expect(again!.history[1]).toMatchObject({ attempt: 2, worker: 'alive', endedAt: null });
      const done = await queue.complete('j', 'alive', { ok: true });
      expect(done).toMatchObject({ state: 'completed', result: { ok: true } });
    });

    it('maxAttempts caps lease expiries too: a job whose every lease expires ends failed, with its dependents', async () => {
      const queue = await open(freshStore());
      const seen: string[] = [];
      queue.events.on('recovered', (job) => seen.push(`recovered:${job.id}`));
      queue.events.on('failed', (job) => seen.push(`failed:${job.id}`));
      await queue.add([{ id: 'killer', kind: 'k', maxAttempts: 2 }, { id: 'after', kind: 'k', dependsOn: ['killer'] }]);
      for (const owner of ['d1', 'd2']) {
        const [leased] = await queue.lease(owner);
        expect(leased?.id).toBe('killer');
        clock.advance(10_000);
        await queue.recoverExpiredLeases(clock.now());
      }
      expect(seen).toEqual(['recovered:killer', 'failed:killer', 'failed:after']);
      const failed = await queue.get('killer');
      expect(failed).toMatchObject({ state: 'failed', attempts: 2, lease: null, promptRef: null });
      expect(failed!.error?.code).toBe('LEASE_EXPIRED');
      expect(failed!.error?.message).toContain('failed after 2 attempts: #1 on d1: [LEASE_EXPIRED]');
      expect(failed!.error?.message).toContain('2 of 2 attempts used');
      expect((await queue.get('after'))!.state).toBe('failed');
      expect(await queue.lease('d3')).toEqual([]);
    });

    it('retries while attempts remain, then fails with every attempt’s reason in one message', async () => {
      const queue = await open(freshStore());
      const seen: string[] = [];
      queue.events.on('retried', (job) => seen.push(`retried:${job.attempts}`));
      queue.events.on('failed', (job) => seen.push(`failed:${job.attempts}`));
      await queue.add([{ id: 'j', kind: 'k', maxAttempts: 3 }]);
      const reasons = ['CUDA out of memory', 'worker went away', 'node raised KeyError'];
      let last: Job | undefined;
      for (const [i, message] of reasons.entries()) {
        const [job] = await queue.lease(`w${i + 1}`);
        expect(job).toMatchObject({ id: 'j', attempts: i + 1 });
        await queue.setPromptRef('j', `w${i + 1}`, { workerName: `gpu-${i}`, promptId: `p${i}` });
        last = await queue.fail('j', `w${i + 1}`, { code: `E${i + 1}`, message }, { retry: true });
        if (i < 2) expect(last).toMatchObject({ state: 'ready', promptRef: null });
      }
      expect(seen).toEqual(['retried:1', 'retried:2', 'failed:3']);
      expect(last!.state).toBe('failed');
      expect(last!.error!.code).toBe('E3');
      for (const [i, message] of reasons.entries()) expect(last!.error!.message).toContain(`#${i + 1} on w${i + 1}: [E${i + 1}] ${message}`);
      expect(last!.history.map((attempt) => attempt.error?.code)).toEqual(['E1', 'E2', 'E3']);
      expect(await queue.lease('w4')).toEqual([]);
    });

    it('delays a retry by delayMs on the injected clock', async () => {
      const queue = await open(freshStore());
      await queue.add([{ id: 'j', kind: 'k' }, { id: 'later', kind: 'k', priority: -1 }]);
      await queue.lease('a');
      const retried = await queue.fail('j', 'a', { code: 'BUSY', message: 'worker busy' }, { retry: true, delayMs: 60_000 });
      expect(retried).toMatchObject({ state: 'ready', readyAt: clock.now() + 60_000 });
      expect(ids(await queue.lease('a', { max: 5 }))).toEqual(['later']);
      clock.advance(59_999);
      expect(await queue.lease('a')).toEqual([]);
      clock.advance(1);
      expect(ids(await queue.lease('a'))).toEqual(['j']);
    });

    it('fails at once when retry is false', async () => {
      const queue = await open(freshStore());
      await queue.add([{ id: 'j', kind: 'k', maxAttempts: 5 }]);
      await queue.lease('a');
      const failed = await queue.fail('j', 'a', { code: 'INVALID_PROMPT', message: 'bad graph' }, { retry: false });
      expect(failed).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'INVALID_PROMPT', message: 'bad graph' } });
      await expect(queue.complete('j', 'a', null)).rejects.toMatchObject({ code: 'QUEUE_LEASE_LOST' });
    });

    it('cancels ready and leased jobs; finished and unknown jobs are left alone', async () => {
      const queue = await open(freshStore());
      await queue.add(['ready', 'running', 'done'].map((id) => ({ id, kind: 'k' })));
      await queue.lease('a', { max: 3, filter: (job) => job.id !== 'ready' });
      await queue.complete('done', 'a', 1);
      expect(await queue.cancel('ready')).toMatchObject({ state: 'cancelled' });
      expect(await queue.cancel('running')).toMatchObject({ state: 'cancelled', lease: null });
      expect(await queue.cancel('done')).toMatchObject({ state: 'completed' });
      expect(await queue.cancel('nope')).toBeUndefined();
      await expect(queue.heartbeat('running', 'a')).rejects.toMatchObject({ code: 'QUEUE_LEASE_LOST' });
      await expect(queue.complete('running', 'a', 1)).rejects.toMatchObject({ code: 'QUEUE_LEASE_LOST' });
      expect(await queue.lease('b', { max: 5 })).toEqual([]);
    });

    it('counts and lists jobs by state and kind', async () => {
      const queue = await open(freshStore());
      await queue.add([
        { id: 'a', kind: 'keyframe' },
        { id: 'b', kind: 'keyframe' },
        { id: 'c', kind: 'clip', dependsOn: ['a'] },
        { id: 'd', kind: 'clip' },
        { id: 'e', kind: 'clip' },
      ]);
      await queue.lease('x', { max: 1 });
      await queue.complete('a', 'x', null);
      await queue.lease('x', { max: 1, kinds: ['keyframe'] });
      await queue.cancel('e');
      expect(await queue.counts()).toEqual({ waiting: 0, ready: 2, leased: 1, completed: 1, failed: 0, cancelled: 1 });
      expect(ids(await queue.list({ state: 'ready' }))).toEqual(['d', 'c']);
      expect(ids(await queue.list({ kind: 'keyframe' }))).toEqual(['a', 'b']);
      expect(ids(await queue.list({ state: ['leased', 'cancelled'], limit: 1 }))).toEqual(['b']);
    });

    it('emits added, leased and completed for its own transitions', async () => {
      const queue = await open(freshStore());
      const seen: string[] = [];
      for (const event of ['added', 'leased', 'completed'] as const) queue.events.on(event, (job) => seen.push(`${event}:${job.id}`));
      await queue.add([{ id: 'j', kind: 'k' }]);
      await queue.add([{ id: 'j', kind: 'k' }]);
      await queue.lease('a');
      await queue.complete('j', 'a', null);
      expect(seen).toEqual(['added:j', 'leased:j', 'completed:j']);
    });

    it('keeps every job, lease and promptRef across close and reopen', async () => {
      const store = freshStore();
      const first = await open(store);
      await first.add([
        { id: 'a', kind: 'keyframe', payload: { prompt: 'a fox' }, priority: 3 },
        { id: 'b', kind: 'clip', dependsOn: ['a'] },
        { id: 'c', kind: 'keyframe' },
      ]);
      await first.lease('dispatcher-1');
      await first.setPromptRef('a', 'dispatcher-1', { workerName: 'gpu-2', promptId: 'p-9' });
      const before = await first.list();
      await first.close();
      const second = await open(store);
      expect(await second.list()).toEqual(before);
      expect(await second.counts()).toMatchObject({ leased: 1, waiting: 1, ready: 1 });
      await second.complete('a', 'dispatcher-1', { asset: 'sha' });
      expect(ids(await second.lease('dispatcher-2', { max: 5 }))).toEqual(['c', 'b']);
    });
  });
}
