import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatcherOfOwner, workerOfOwner } from '../../src/scheduler/dispatcher/owner.js';
import { dispatchJob } from '../../src/scheduler/dispatcher/job-payload.js';
import type { JobQueue } from '../../src/scheduler/queue/job-queue.js';
import { openJobQueue, queueConfigSchema } from '../../src/scheduler/queue/open-job-queue.js';
import type { Emulator } from '../../src/sim/index.js';
import { startRedisServer } from '../scheduler-queue/support/redis-server.js';
import { missingService } from '../support/services.js';
import { modelsFor, startWorkers, tempDir, until } from './support/harness.js';

const script = fileURLToPath(new URL('./support/redis-dispatcher-child.ts', import.meta.url));
const JOBS = 20;
/** Long enough that a loaded CI machine never lets a lease lapse: this test is about sharing, not recovery. */
const LEASE_MS = 20_000;

interface ChildEvent {
  event: string;
  jobId?: string;
  worker?: string;
  promptId?: string;
  reattached?: boolean;
  error?: string;
}

interface Child {
  id: string;
  child: ChildProcess;
  events: ChildEvent[];
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr(): string;
}

/** A dispatcher child process on the BullMQ queue; it starts leasing when told to (stdin). */
function startChild(args: string[], id: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: ChildEvent[] = [];
  let buffer = '';
  let stderr = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as ChildEvent;
      events.push(event);
      if (event.event === 'ready') markReady();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { id, child, events, ready, exited, stderr: () => stderr.slice(-4000) };
}

/** Resolves once the child is ready; rejects with its stderr when it exits first. */
async function readyOrDead(c: Child): Promise<void> {
  await Promise.race([c.ready, c.exited.then((code) => Promise.reject(new Error(`dispatcher ${c.id} exited ${code} before ready: ${c.stderr()}`)))]);
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (error) {
      console.warn('cleanup failed:', error);
    }
  }
});

describe.skipIf(missingService('redis-server', 'redis-server'))('two dispatcher processes on one Redis (BullMQ queue)', () => {
  it('share the work: every job runs exactly once, each prompt reaches one worker once, both processes complete jobs', async () => {
    const dir = tempDir('dispatch-two-redis-');
    cleanups.push(() => dir.remove());
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());

    const params = { width: 256, height: 256, steps: 8 };
    const models = modelsFor([{ templateId: 'sd15-t2i', params }]);
    const emulators = await startWorkers([
      { name: 'gpu-a', models, timeScale: 0.2 },
      { name: 'gpu-b', models, timeScale: 0.2 },
    ]);
    cleanups.push(async () => {
      for (const e of emulators.values()) await e.close();
    });

    const name = 'two-dispatchers';
    const queue: JobQueue = await openJobQueue(queueConfigSchema.parse({ backend: 'bullmq', redisUrl: redis.url, name, leaseMs: LEASE_MS, heartbeatMs: LEASE_MS / 4 }));
    cleanups.push(() => queue.close());
    const ids = Array.from({ length: JOBS }, (_, i) => `key-${String(i).padStart(2, '0')}`);
    await queue.add(ids.map((id, i) => dispatchJob({ id, kind: 'keyframe', payload: { templateId: 'sd15-t2i', params: { ...params, seed: 1000 + i, prompt: `shot ${id}` } } })));

    const urls = [...emulators.entries()].map(([worker, e]: [string, Emulator]) => `${worker}=${e.url}`);
    const children = ['orch-1', 'orch-2'].map((id) => startChild([redis.url, name, `${dir.path}/out-${id}`, id, String(LEASE_MS), ...urls], id));
    for (const c of children) {
      cleanups.push(async () => {
        if (c.child.exitCode === null && c.child.signalCode === null) {
          c.child.kill('SIGKILL');
          await c.exited;
        }
      });
    }
    await Promise.all(children.map(readyOrDead));
    // Both start leasing together, so neither has drained the queue before the other looks.
    for (const c of children) c.child.stdin!.end('go\n');

    // Poll the queue until every job is final; a child that dies early ends the wait.
    const died = Promise.race(children.map((c) => c.exited.then((code) => (code === 0 ? new Promise<never>(() => undefined) : Promise.reject(new Error(`dispatcher ${c.id} exited ${code}: ${c.stderr()}`))))));
    await Promise.race([
      until(async () => {
        const counts = await queue.counts();
        return counts.completed + counts.failed + counts.cancelled === JOBS || undefined;
      }, 'every job to finish', 90_000),
      died,
    ]);
    for (const c of children) expect(await c.exited, `${c.id}: ${c.stderr()}`).toBe(0);

    // Queue state and history: each job completed once, by one attempt that succeeded.
    expect(await queue.counts()).toMatchObject({ completed: JOBS, ready: 0, leased: 0, waiting: 0, failed: 0, cancelled: 0 });
    const jobs = await queue.list();
    expect(jobs.map((j) => j.id).sort()).toEqual(ids);
    const promptOf = new Map<string, { promptId: string; worker: string; dispatcher: string }>();
    for (const job of jobs) {
      expect(job.state, job.id).toBe('completed');
      expect(job.attempts, job.id).toBe(1);
      expect(job.history, job.id).toHaveLength(1);
      const [attempt] = job.history;
      expect(attempt!.error, job.id).toBeNull();
      expect(attempt!.endedAt, job.id).not.toBeNull();
      const result = job.result as { promptId: string; worker: string; reattached: boolean };
      expect(result.reattached, job.id).toBe(false);
      expect(job.promptRef, job.id).toEqual({ workerName: result.worker, promptId: result.promptId });
      expect(workerOfOwner(attempt!.worker), job.id).toBe(result.worker);
      promptOf.set(job.id, { promptId: result.promptId, worker: result.worker, dispatcher: dispatcherOfOwner(attempt!.worker)! });
    }

    // Emulators: each prompt id reached exactly one worker, once, and it is the worker the result names.
    const seenOn = new Map<string, string[]>();
    let submissions = 0;
    for (const [worker, e] of emulators) {
      submissions += e.stats.submissions;
      for (const [promptId, s] of Object.entries(e.stats.byPromptId)) {
        expect(s.submissions, `${promptId} on ${worker}`).toBe(1);
        seenOn.set(promptId, [...(seenOn.get(promptId) ?? []), worker]);
      }
    }
    expect(submissions).toBe(JOBS);
    expect(seenOn.size).toBe(JOBS);
    for (const [jobId, { promptId, worker }] of promptOf) expect(seenOn.get(promptId), jobId).toEqual([worker]);

    // The processes: disjoint sets of completed jobs covering all of them, both non-empty,
    // and each matches the dispatcher named in the job's history.
    const completedBy = new Map(children.map((c) => [c.id, c.events.filter((e) => e.event === 'job.completed').map((e) => e.jobId!)]));
    const all = [...completedBy.values()].flat();
    expect(all.sort()).toEqual(ids);
    for (const [id, done] of completedBy) {
      expect(done.length, `jobs completed by ${id}`).toBeGreaterThan(0);
      for (const jobId of done) expect(promptOf.get(jobId)!.dispatcher, jobId).toBe(id);
    }
    for (const c of children) {
      expect(c.events.filter((e) => e.event === 'job.retried' || e.event === 'job.failed' || e.event === 'dispatcher.error'), c.id).toEqual([]);
      const submitted = c.events.filter((e) => e.event === 'prompt.submitted');
      expect(submitted.every((e) => !e.reattached), c.id).toBe(true);
      expect(submitted.map((e) => e.jobId).sort(), c.id).toEqual([...completedBy.get(c.id)!].sort());
    }
  }, 120_000);
});
