/**
 * A dispatcher in its own process, for the "kill -9 the orchestrator" test: runs until every
 * job in the SQLite queue is done, printing one JSON line per dispatcher event.
 * Usage: dispatcher-child.ts <queue.sqlite> <outDir> <dispatcherId> <leaseMs> <name=url>...
 */
import { Dispatcher } from '../../../src/scheduler/dispatcher/dispatcher.js';
import { MetricsStore } from '../../../src/scheduler/metrics/metrics-store.js';
import { SqliteJobQueue } from '../../../src/scheduler/queue/sqlite-queue.js';
import { Router } from '../../../src/scheduler/router/router.js';
import { FAST_POOL } from './harness.js';
import { WorkerPool } from '../../../src/scheduler/dispatcher/worker-pool.js';

const [queuePath, outDir, id, leaseMs, ...workers] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const queue = new SqliteJobQueue({ path: queuePath, leaseMs: Number(leaseMs) });
const metrics = new MetricsStore(queuePath);
const pool = new WorkerPool({ ...FAST_POOL, workers: workers.map((w) => ({ name: w.split('=')[0]!, endpoint: w.slice(w.indexOf('=') + 1) })) });
await pool.start();
const dispatcher = new Dispatcher({ queue, pool, id, outputDir: outDir, metrics, heartbeatMs: Math.floor(Number(leaseMs) / 4), pollMs: 50, router: new Router({ strategy: 'round_robin' }) });
const print = (event: string) => (e: object) => process.stdout.write(`${JSON.stringify({ event, ...e })}\n`);
for (const name of ['prompt.submitted', 'prompt.started', 'job.completed', 'job.retried', 'job.failed'] as const) dispatcher.events.on(name, print(name) as never);
dispatcher.start();
process.stdout.write(`${JSON.stringify({ event: 'ready', id })}\n`);
await dispatcher.idle();
await dispatcher.stop();
await pool.close();
await queue.close();
metrics.close();
process.stdout.write(`${JSON.stringify({ event: 'done', id })}\n`);
