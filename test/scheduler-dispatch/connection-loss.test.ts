import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../../src/scheduler/router/router.js';
import type { Emulator } from '../../src/sim/index.js';
import { modelsFor, poolFor, sd15Job, startWorkers, tempDir, until, waitForEvent } from './support/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const models = modelsFor([{ templateId: 'sd15-t2i' }]);

async function harness(emulators: Map<string, Emulator>) {
  const dir = tempDir('dispatch-conn-');
  const queue = new SqliteJobQueue({ path: `${dir.path}/queue.sqlite`, leaseMs: 5_000 });
  const pool = poolFor(emulators);
  await pool.start();
  const dispatcher = new Dispatcher({ queue, pool, id: 'test', outputDir: `${dir.path}/out`, heartbeatMs: 500, pollMs: 50, backoff: { baseMs: 20, maxMs: 100 }, router: new Router({ strategy: 'round_robin' }) });
  cleanups.push(async () => {
    await dispatcher.stop({ mode: 'release' });
    await pool.close();
    for (const e of emulators.values()) await e.close();
    await queue.close();
    dir.remove();
  });
  return { queue, pool, dispatcher };
}

describe('the event socket drops or goes silent', () => {
  it('completion is still observed from history, each prompt submitted once', async () => {
    // The sampler holds each prompt long enough to break the socket in the middle of it.
    const emulators = await startWorkers([{ name: 'gpu-a', models, timeScale: 0.02, faults: [{ classType: 'KSampler', action: { type: 'delay', ms: 500 } }] }]);
    const emulator = emulators.get('gpu-a')!;
    const { queue, dispatcher } = await harness(emulators);
    let started = 0;
    dispatcher.events.on('prompt.started', () => {
      started += 1;
      if (started === 1) emulator.sockets.dropAll();
      if (started === 2) emulator.sockets.setSilent(true);
    });
    const completed: string[] = [];
    dispatcher.events.on('job.completed', (e) => completed.push(e.jobId));
    await queue.add([sd15Job('drop', 1), sd15Job('silent', 2)]);
    dispatcher.start();
    await until(() => completed.length === 2, 'both jobs to complete');
    const jobs = await queue.list();
    expect(jobs.map((j) => [j.id, j.state, j.history.length])).toEqual([
      ['drop', 'completed', 1],
      ['silent', 'completed', 1],
    ]);
    for (const job of jobs) expect(emulator.stats.byPromptId[(job.result as { promptId: string }).promptId]!.submissions).toBe(1);
  });
});

describe('a worker stops answering', () => {
  it('is marked down, and its work (running and queued behind) moves to another worker', async () => {
    const emulators = await startWorkers([
      { name: 'gpu-a', models, faults: [{ classType: 'KSampler', action: { type: 'hang' } }] },
      { name: 'gpu-b', models },
    ]);
    const b = emulators.get('gpu-b')!;
    // Only gpu-a at first, so both jobs land on it: one running (stuck), one queued behind.
    const { queue, pool, dispatcher } = await harness(new Map([['gpu-a', emulators.get('gpu-a')!]]));
    cleanups.push(() => b.close());
    await queue.add([sd15Job('running', 1, 1), sd15Job('queued', 2, 0)]);
    dispatcher.start();
    await until(() => dispatcher.inFlight('gpu-a').length === 2 && dispatcher.inFlight('gpu-a').some((r) => r.started), 'two prompts on gpu-a');
    expect(dispatcher.inFlight('gpu-a').map((r) => [r.jobId, r.started])).toEqual([
      ['running', true],
      ['queued', false],
    ]);
    pool.add({ name: 'gpu-b', endpoint: b.url });
    await until(() => pool.healthy('gpu-b'), 'gpu-b to be healthy');

    const down = waitForEvent<{ worker: string; moved: string[] }>(dispatcher.events, 'worker.down');
    await emulators.get('gpu-a')!.close();
    expect((await down).moved.sort()).toEqual(['queued', 'running']);
    expect(pool.monitor.health('gpu-a')!.state).toBe('down');

    await until(async () => (await queue.counts()).completed === 2, 'both jobs to complete on gpu-b');
    for (const job of await queue.list()) {
      expect((job.result as { worker: string }).worker).toBe('gpu-b');
      expect(job.history[0]!.worker).toBe('gpu-a@test');
      expect(job.history[0]!.error!.code).toBe('DISPATCH_WORKER_DOWN');
      expect(job.history[1]!.worker).toBe('gpu-b@test');
    }
  });

  it('when it answers again, the prompts it still holds for moved jobs are deleted or interrupted', async () => {
    const emulators = await startWorkers([
      // A long sampler (it honours interrupts, unlike a hang) keeps the first prompt running.
      { name: 'gpu-a', models, faults: [{ classType: 'KSampler', action: { type: 'delay', ms: 12_000 }, times: 1 }] },
      { name: 'gpu-b', models },
    ]);
    const a = emulators.get('gpu-a')!;
    const b = emulators.get('gpu-b')!;
    // gpu-a sits behind a link the test can cut: unreachable, yet still holding its prompts.
    const link = await cuttableLink(a.port);
    cleanups.push(() => link.close());
    const behindLink = { url: link.url, close: () => a.close() } as unknown as Emulator;
    const { queue, pool, dispatcher } = await harness(new Map([['gpu-a', behindLink]]));
    cleanups.push(() => b.close());
    await queue.add([sd15Job('running', 1, 1), sd15Job('queued', 2, 0)]);
    const submitted = new Map<string, string>();
    dispatcher.events.on('prompt.submitted', (e) => void (e.worker === 'gpu-a' && submitted.set(e.jobId, e.promptId)));
    dispatcher.start();
    await until(() => dispatcher.inFlight('gpu-a').length === 2 && dispatcher.inFlight('gpu-a').some((r) => r.started), 'two prompts on gpu-a');
    pool.add({ name: 'gpu-b', endpoint: b.url });
    await until(() => pool.healthy('gpu-b'), 'gpu-b to be healthy');

    const down = waitForEvent<{ moved: string[] }>(dispatcher.events, 'worker.down');
    link.cut(true);
    expect((await down).moved.sort()).toEqual(['queued', 'running']);
    await until(async () => (await queue.counts()).completed === 2, 'both jobs to complete on gpu-b');
    // Unreachable, not dead: gpu-a still runs one orphan and has the other queued.
    const held = (await (await fetch(`${a.url}/queue`)).json()) as { queue_running: unknown[][]; queue_pending: unknown[][] };
    expect([held.queue_running.map((i) => i[1]), held.queue_pending.map((i) => i[1])]).toEqual([[submitted.get('running')], [submitted.get('queued')]]);

    const cleared = waitForEvent<{ worker: string; deleted: string[]; interrupted: string[] }>(dispatcher.events, 'worker.orphans_cleared');
    link.cut(false);
    expect(await cleared).toEqual({ worker: 'gpu-a', deleted: [submitted.get('queued')], interrupted: [submitted.get('running')] });
    await until(async () => {
      const q = (await (await fetch(`${a.url}/queue`)).json()) as { queue_running: unknown[]; queue_pending: unknown[] };
      return q.queue_running.length === 0 && q.queue_pending.length === 0;
    }, 'gpu-a to hold no prompt');
    expect(a.stats.byPromptId[submitted.get('queued')!]?.executions ?? 0).toBe(0);
    const history = (await (await fetch(`${a.url}/history/${submitted.get('running')}`)).json()) as Record<string, { status: { messages: [string, unknown][] } }>;
    expect(history[submitted.get('running')!]!.status.messages.map(([kind]) => kind)).toContain('execution_interrupted');
  });
});

/** A TCP link to a local port that can be cut (connections reset, new ones refused) and restored. */
async function cuttableLink(port: number): Promise<{ url: string; cut(on: boolean): void; close(): Promise<void> }> {
  let cut = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port });
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut(on) {
      cut = on;
      if (on) for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
