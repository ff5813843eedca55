import { afterEach, describe, expect, it } from 'vitest';
import type { ComfyProtocol } from '../../src/comfy/comfyui-version.js';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import type { JobQueue } from '../../src/scheduler/queue/job-queue.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../../src/scheduler/router/router.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { modelsFor, poolFor, sd15Job, tempDir, until } from './support/harness.js';

/**
 * A dispatcher dies at the worst moments: right after storing the prompt id (before the POST)
 * or right after the POST. The next dispatcher must not submit the prompt twice, and on a
 * current-protocol worker it finishes the job under the stored id with no wasted attempt.
 */

type KillPoint = 'after-store' | 'after-submit';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * The queue as a dispatcher sees it, until it "dies": from then on every call fails as a dead
 * process's would never land (LeaseLost-coded, so the dead dispatcher stops without writing).
 */
function mortalQueue(queue: JobQueue, point: KillPoint): { queue: JobQueue; kill(): void; died: Promise<void> } {
  let dead = false;
  let resolveDied!: () => void;
  const died = new Promise<void>((resolve) => (resolveDied = resolve));
  const gone = () => Promise.reject(Object.assign(new Error('dispatcher process is dead'), { code: 'QUEUE_LEASE_LOST' }));
  const kill = () => {
    dead = true;
    resolveDied();
  };
  const proxy = new Proxy(queue, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (dead) return gone();
        const out = (await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
        if (prop === 'setPromptRef' && point === 'after-store') {
          kill();
          return gone();
        }
        return out;
      };
    },
  });
  return { queue: proxy, kill, died };
}

const models = modelsFor([{ templateId: 'sd15-t2i' }]);

async function trials(comfyui: ComfyProtocol, point: KillPoint, count: number) {
  const dir = tempDir('dispatch-idem-');
  const queue = new SqliteJobQueue({ path: `${dir.path}/queue.sqlite`, leaseMs: 400 });
  const emulator: Emulator = await startEmulator({ name: 'gpu-a', comfyui, timeScale: 0, models });
  const emulators = new Map([['gpu-a', emulator]]);
  const survivorPool = poolFor(emulators);
  await survivorPool.start();
  cleanups.push(async () => {
    await survivorPool.close();
    await emulator.close();
    await queue.close();
    dir.remove();
  });
  const options = { outputDir: `${dir.path}/out`, heartbeatMs: 40, pollMs: 20, router: new Router({ strategy: 'round_robin' }) };
  const outcomes: Array<{ stored: string; result: { promptId: string; reattached: boolean }; history: string[]; submissions: number }> = [];
  for (let i = 0; i < count; i++) {
    const id = `${point}-${i}`;
    const before = emulator.stats.submissions;
    await queue.add([sd15Job(id, i + 1)]);

    // The dispatcher that dies.
    const mortal = mortalQueue(queue, point);
    const doomedPool = poolFor(emulators);
    await doomedPool.start();
    const doomed = new Dispatcher({ ...options, queue: mortal.queue, pool: doomedPool, id: `doomed-${i}` });
    if (point === 'after-submit') doomed.events.on('prompt.submitted', () => mortal.kill());
    doomed.start();
    await mortal.died;
    await doomed.stop({ mode: 'release' });
    await doomedPool.close();
    const stored = (await queue.get(id))!.promptRef!.promptId;

    // The next dispatcher, once the dead one's lease has expired.
    const next = new Dispatcher({ ...options, queue, pool: survivorPool, id: `next-${i}` });
    next.start();
    const job = await until(async () => {
      const j = await queue.get(id);
      return j && (j.state === 'completed' || j.state === 'failed') ? j : undefined;
    }, `job ${id} to finish`);
    await next.stop();
    outcomes.push({
      stored,
      result: job.result as { promptId: string; reattached: boolean },
      history: job.history.map((h) => h.error?.code ?? 'ok'),
      submissions: emulator.stats.submissions - before,
    });
  }
  return { outcomes, emulator };
}

describe('idempotent submit on a current-protocol worker (emulated): 50 trials, the dispatcher killed each time', () => {
  it.each([
    ['after-store', 25],
    ['after-submit', 25],
  ] as const)('killed %s: 0 duplicates, every job finishes under the stored prompt id', async (point, count) => {
    const { outcomes, emulator } = await trials('current', point, count);
    expect(outcomes).toHaveLength(count);
    // Exactly one POST /prompt reached the worker per job, under the id stored before it.
    expect(outcomes.map((o) => o.submissions)).toEqual(Array(count).fill(1));
    for (const o of outcomes) {
      expect(o.result.promptId).toBe(o.stored);
      expect(emulator.stats.byPromptId[o.stored]!.submissions).toBe(1);
      // No attempt wasted on a prompt that never arrived: lease expiries (the kill; a heartbeat
      // starved on a loaded machine) are the only hiccups, never a vanished prompt and a retry.
      expect(o.history[0]).toBe('LEASE_EXPIRED');
      expect(o.history.filter((code) => code !== 'LEASE_EXPIRED')).toEqual(['ok']);
    }
    // After a kill between store and submit, the prompt was submitted by the next dispatcher.
    expect(outcomes.every((o) => o.result.reattached === (point === 'after-submit'))).toBe(true);
  }, 120_000);
});

describe('a 0.3.64 worker keeps re-attaching', () => {
  it('killed after storing: the stored id is reported vanished and the retry runs under a new id (still one submission)', async () => {
    const { outcomes } = await trials('0.3.64', 'after-store', 1);
    const [o] = outcomes;
    expect(o!.submissions).toBe(1);
    expect(o!.result.promptId).not.toBe(o!.stored);
    expect(o!.history).toEqual(['LEASE_EXPIRED', 'COMFY_PROMPT_VANISHED', 'ok']);
  }, 60_000);
});
