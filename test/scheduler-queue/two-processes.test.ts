import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqJobQueue } from '../../src/scheduler/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/scheduler/queue/job-queue.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { missingService } from '../support/services.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

const script = fileURLToPath(new URL('./support/dispatcher-process.ts', import.meta.url));

interface Child {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ owner: string; ran: string[] }>;
}

function startDispatcher(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<{ owner: string; ran: string[] }>((resolve, reject) =>
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(last));
      else reject(new Error(`dispatcher ${args.at(-1)} exited ${code}: ${err}`));
    }),
  );
  return { ready, go: () => child.stdin.end('go\n'), done };
}

/** 200 jobs, two dispatcher processes racing for them: each job runs exactly once. */
async function runTwoDispatchers(queue: JobQueue, args: (owner: string) => string[]): Promise<void> {
  await queue.add(Array.from({ length: 200 }, (_, i) => ({ id: `task-${i}`, kind: i % 2 ? 'clip' : 'keyframe', priority: i % 3 })));
  const children = [startDispatcher(args('proc-a')), startDispatcher(args('proc-b'))];
  await Promise.all(children.map((child) => child.ready));
  for (const child of children) child.go();
  const [a, b] = await Promise.all(children.map((child) => child.done));
  const all = [...a!.ran, ...b!.ran];
  expect(new Set(all).size).toBe(all.length);
  expect(all).toHaveLength(200);
  expect(a!.ran.length).toBeGreaterThan(0);
  expect(b!.ran.length).toBeGreaterThan(0);
  const jobs = await queue.list();
  expect(await queue.counts()).toMatchObject({ completed: 200, ready: 0, leased: 0 });
  for (const job of jobs) {
    expect(job.history, job.id).toHaveLength(1);
    const ranBy = a!.ran.includes(job.id) ? 'proc-a' : 'proc-b';
    expect(job.result).toEqual({ ranBy });
    expect(job.history[0]!.worker).toBe(ranBy);
  }
}

describe('two dispatcher processes on one SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'storycore-queue-procs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('complete every one of 200 jobs exactly once', async () => {
    const path = join(dir, 'queue.db');
    const queue = new SqliteJobQueue({ path });
    try {
      await runTwoDispatchers(queue, (owner) => ['sqlite', path, '-', owner]);
    } finally {
      await queue.close();
    }
  });
});

describe.skipIf(missingService('redis-server', 'redis-server'))('two dispatcher processes on one Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('complete every one of 200 jobs exactly once', async () => {
    const queue = await BullmqJobQueue.open({ redisUrl: redis.url, name: 'two-procs' });
    try {
      await runTwoDispatchers(queue, (owner) => ['bullmq', redis.url, 'two-procs', owner]);
    } finally {
      await queue.close();
    }
  });
});
