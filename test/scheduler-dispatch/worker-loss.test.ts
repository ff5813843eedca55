import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import type { DispatchedResult } from '../../src/scheduler/dispatcher/dispatcher-events.js';
import { MetricsStore } from '../../src/scheduler/metrics/metrics-store.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../../src/scheduler/router/router.js';
import type { Emulator } from '../../src/sim/index.js';
import { modelsFor, poolFor, sd15Job, startWorkers, tempDir, waitForEvent } from './support/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(names: string[], timeScale = 0.02) {
  const dir = tempDir('dispatch-loss-');
  const models = modelsFor([{ templateId: 'sd15-t2i' }]);
  // A slow loader leaves time to arm a crash on whichever worker got the job.
  const emulators = await startWorkers(names.map((name) => ({ name, models, timeScale, faults: [{ classType: 'CheckpointLoaderSimple', action: { type: 'delay', ms: 300 }, times: 1 }] })));
  const queue = new SqliteJobQueue({ path: `${dir.path}/queue.sqlite`, leaseMs: 5_000 });
  const metrics = new MetricsStore(`${dir.path}/queue.sqlite`);
  const pool = poolFor(emulators);
  await pool.start();
  const dispatcher = new Dispatcher({ queue, pool, id: 'test', outputDir: `${dir.path}/out`, metrics, heartbeatMs: 500, pollMs: 50, backoff: { baseMs: 20, maxMs: 100 }, router: new Router({ strategy: 'round_robin' }) });
  cleanups.push(async () => {
    await dispatcher.stop({ mode: 'release' });
    await pool.close();
    for (const e of emulators.values()) await e.close();
    await queue.close();
    metrics.close();
    dir.remove();
  });
  return { dir, emulators, queue, metrics, pool, dispatcher };
}

const successes = (emulators: Map<string, Emulator>, promptId: string) =>
  [...emulators.values()].reduce((n, e) => n + (e.stats.byPromptId[promptId]?.submissions ?? 0), 0);

describe('a worker dies mid-job', () => {
  it('the job completes on the other worker exactly once, the crashed attempt recorded', async () => {
    const { emulators, queue, dispatcher, metrics } = await setup(['gpu-a', 'gpu-b']);
    const submitted: Array<{ worker: string; promptId: string }> = [];
    dispatcher.events.on('prompt.submitted', (e) => {
      submitted.push(e);
      // Arm the crash on the first worker that got the job: its sampler takes the whole server down.
      if (submitted.length === 1) emulators.get(e.worker)!.faults.add({ classType: 'KSampler', action: { type: 'crash' }, times: 1 });
    });
    const completed = waitForEvent<{ jobId: string; result: DispatchedResult }>(dispatcher.events, 'job.completed');
    await queue.add([sd15Job('shot-1')]);
    dispatcher.start();
    const { result } = await completed;

    const first = submitted[0]!;
    expect(result.worker).not.toBe(first.worker);
    expect(result.promptId).not.toBe(first.promptId);
    expect(result.outputs).toHaveLength(1);
    expect(result.outputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);

    // One accepted submission per prompt id; only the second one executed to the end.
    expect(successes(emulators, first.promptId)).toBe(1);
    expect(successes(emulators, result.promptId)).toBe(1);
    expect(emulators.get(result.worker)!.stats.byPromptId[result.promptId]!.executions).toBe(1);

    const job = (await queue.get('shot-1'))!;
    expect(job.state).toBe('completed');
    expect(job.history).toHaveLength(2);
    expect(job.history[0]!.worker).toBe(`${first.worker}@test`);
    expect(['DISPATCH_WORKER_DOWN', 'COMFY_WORKER_UNAVAILABLE']).toContain(job.history[0]!.error!.code);
    expect(job.history[0]!.error!.message).toContain(first.worker);
    expect(job.history[1]!.worker).toBe(`${result.worker}@test`);

    const outcomes = metrics.prompts().map((r) => `${r.worker}:${r.outcome}`);
    expect(outcomes).toEqual([`${first.worker}:retried`, `${result.worker}:completed`]);
  });
});
