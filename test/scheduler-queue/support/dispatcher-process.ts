/**
 * A minimal dispatcher in its own process: waits for "go" on stdin, then leases, "runs"
 * (promptRef, heartbeat) and completes jobs until none are left, and prints the ids it ran.
 * Usage: dispatcher-process.ts <sqlite|bullmq> <path-or-redis-url> <queue-name> <owner>
 */
import { createInterface } from 'node:readline';
import { BullmqJobQueue } from '../../../src/scheduler/queue/bullmq-queue.js';
import type { JobQueue } from '../../../src/scheduler/queue/job-queue.js';
import { SqliteJobQueue } from '../../../src/scheduler/queue/sqlite-queue.js';

const [backend, location, name, owner] = process.argv.slice(2) as [string, string, string, string];
const queue: JobQueue =
  backend === 'sqlite'
    ? new SqliteJobQueue({ path: location })
    : await BullmqJobQueue.open({ redisUrl: location, name });

console.log('ready');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));

const ran: string[] = [];
for (;;) {
  const jobs = await queue.lease(owner, { max: 3 });
  if (jobs.length === 0) {
    const counts = await queue.counts();
    if (counts.ready + counts.leased + counts.waiting === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
    continue;
  }
  for (const job of jobs) {
    ran.push(job.id);
    await queue.setPromptRef(job.id, owner, { workerName: 'sim', promptId: `${owner}-${job.id}` });
    await queue.heartbeat(job.id, owner);
    // A job takes time, as a prompt would: one process cannot drain the queue before the other starts.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.complete(job.id, owner, { ranBy: owner });
  }
}
await queue.close();
lines.close();
console.log(JSON.stringify({ owner, ran }));
