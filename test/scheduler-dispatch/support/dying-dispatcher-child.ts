/**
 * A dispatcher process that kills itself (SIGKILL, no cleanup) at one point of a submission:
 * `after-store` = right after the prompt id is stored in the queue, before `POST /prompt`;
 * `after-submit` = right after the worker accepted the prompt.
 * Usage: dying-dispatcher-child.ts <queue.sqlite> <outDir> <dispatcherId> <leaseMs> <after-store|after-submit> <name=url>...
 */
import { Dispatcher } from '../../../src/scheduler/dispatcher/dispatcher.js';
import { WorkerPool } from '../../../src/scheduler/dispatcher/worker-pool.js';
import { SqliteJobQueue } from '../../../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../../../src/scheduler/router/router.js';
import { FAST_POOL } from './harness.js';

const [queuePath, outDir, id, leaseMs, point, ...workers] = process.argv.slice(2) as [string, string, string, string, string, ...string[]];
const queue = new SqliteJobQueue({ path: queuePath, leaseMs: Number(leaseMs) });
const die = () => process.kill(process.pid, 'SIGKILL');
if (point === 'after-store') {
  const store = queue.setPromptRef.bind(queue);
  queue.setPromptRef = async (...args) => {
    const job = await store(...args);
    process.stdout.write(`${JSON.stringify({ event: 'stored', jobId: args[0], promptId: args[2].promptId })}\n`);
    die();
    return job;
  };
}
const pool = new WorkerPool({ ...FAST_POOL, workers: workers.map((w) => ({ name: w.split('=')[0]!, endpoint: w.slice(w.indexOf('=') + 1) })) });
await pool.start();
const dispatcher = new Dispatcher({ queue, pool, id, outputDir: outDir, heartbeatMs: Math.floor(Number(leaseMs) / 4), pollMs: 50, router: new Router({ strategy: 'round_robin' }) });
if (point === 'after-submit') dispatcher.events.on('prompt.submitted', die);
dispatcher.start();
