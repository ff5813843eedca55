import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { modelsFor, poolFor, sd15Job, startWorkers, tempDir, until } from './support/harness.js';

/**
 * A shot regenerated while a big run is going (priority above the run's) starts on the next
 * free slot: submitted to the front of ComfyUI's queue, it runs as soon as the running prompt
 * ends, ahead of the run's prompt already waiting on the worker.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('priority above a running batch', () => {
  it('goes to the front of the worker queue: runs right after the running prompt, before the waiting ones', async () => {
    const dir = tempDir('dispatch-priority-');
    // Slow enough that the run's second prompt is still waiting on the worker when the shot arrives.
    const emulators = await startWorkers([{ name: 'gpu', profile: 'rtx4090', models: modelsFor([{ templateId: 'sd15-t2i' }]), timeScale: 0.4 }]);
    const queue = new SqliteJobQueue({ path: `${dir.path}/queue.sqlite` });
    const pool = poolFor(emulators);
    await pool.start();
    const dispatcher = new Dispatcher({ queue, pool, id: 'test', outputDir: `${dir.path}/out`, pollMs: 50 });
    cleanups.push(async () => {
      await dispatcher.stop({ mode: 'release' });
      await pool.close();
      for (const e of emulators.values()) await e.close();
      await queue.close();
      dir.remove();
    });
    const order: string[] = [];
    const submitted: string[] = [];
    dispatcher.events.on('prompt.started', (e) => order.push(e.jobId));
    dispatcher.events.on('prompt.submitted', (e) => submitted.push(e.jobId));

    await queue.add([1, 2, 3, 4].map((i) => sd15Job(`run-${i}`, i)));
    dispatcher.start();
    await until(() => order.length >= 1 && submitted.length >= 2, 'the run to have one prompt running and one waiting');

    // What is on the worker when the shot arrives: the running prompt and the one waiting behind it.
    const running = order[order.length - 1]!;
    const waiting = submitted.filter((id) => !order.includes(id));
    expect(waiting.length).toBeGreaterThan(0);
    await queue.add([sd15Job('shot-07', 7, 10)]);

    await until(async () => ((await queue.counts()).completed === 5 ? true : undefined), 'every job to complete', 60_000);
    expect(order.indexOf('shot-07')).toBe(order.indexOf(running) + 1);
    for (const id of waiting) expect(order.indexOf(id)).toBeGreaterThan(order.indexOf('shot-07'));
    // The run itself kept its order.
    const run = order.filter((id) => id.startsWith('run-'));
    expect(run).toEqual(['run-1', 'run-2', 'run-3', 'run-4']);
  });
});
