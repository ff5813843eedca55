/**
 * A dispatcher in its own process on a BullMQ (Redis) queue, for the "two dispatchers share
 * work" test: prints `ready`, waits for a line on stdin (so both processes start leasing
 * together), runs until every job in the queue is done, printing one JSON line per event.
 * Usage: redis-dispatcher-child.ts <redisUrl> <queueName> <outDir> <dispatcherId> <leaseMs> <name=url>...
 */
import { createInterface } from 'node:readline';
import { Dispatcher } from '../../../src/scheduler/dispatcher/dispatcher.js';
import { WorkerPool } from '../../../src/scheduler/dispatcher/worker-pool.js';
import { openJobQueue, queueConfigSchema } from '../../../src/scheduler/queue/open-job-queue.js';
import { Router } from '../../../src/scheduler/router/router.js';
import { FAST_POOL } from './harness.js';

const [redisUrl, name, outDir, id, leaseMs, ...workers] = process.argv.slice(2) as [string, string, string, string, string, ...string[]];
const lease = Number(leaseMs);
const queue = await openJobQueue(queueConfigSchema.parse({ backend: 'bullmq', redisUrl, name, leaseMs: lease, heartbeatMs: Math.floor(lease / 4) }));
const pool = new WorkerPool({ ...FAST_POOL, workers: workers.map((w) => ({ name: w.split('=')[0]!, endpoint: w.slice(w.indexOf('=') + 1) })) });
await pool.start();
const dispatcher = new Dispatcher({ queue, pool, id, outputDir: outDir, heartbeatMs: Math.floor(lease / 4), pollMs: 50, router: new Router({ strategy: 'round_robin' }) });
const print = (event: string) => (e: object) => process.stdout.write(`${JSON.stringify({ event, ...e })}\n`);
for (const event of ['job.leased', 'prompt.submitted', 'job.retried', 'job.failed'] as const) dispatcher.events.on(event, print(event) as never);
dispatcher.events.on('job.completed', (e) => print('job.completed')({ jobId: e.jobId, worker: e.worker, promptId: e.result.promptId }));
dispatcher.events.on('dispatcher.error', (e) => print('dispatcher.error')({ where: e.where, error: String(e.error) }));

process.stdout.write(`${JSON.stringify({ event: 'ready', id })}\n`);
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

dispatcher.start();
await dispatcher.idle();
await dispatcher.stop();
await pool.close();
await queue.close();
process.stdout.write(`${JSON.stringify({ event: 'done', id })}\n`);
