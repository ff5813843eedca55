import { hostname } from 'node:os';
import { isPidAlive } from '../assets/process-liveness.js';
import type { JobQueue } from '../scheduler/queue/index.js';
import { dispatcherOfOwner } from '../scheduler/dispatcher/index.js';

/** Dispatcher ids this engine uses: `<host>.<pid>.<random>`, so a dead one can be recognised. */
export function engineDispatcherId(random: string): string {
  return `${hostname().replace(/[@\s]/g, '_')}.${process.pid}.${random}`;
}

function deadLocalOwner(owner: string): boolean {
  const id = dispatcherOfOwner(owner);
  const match = id ? /^(.*)\.(\d+)\.[0-9a-f]+$/.exec(id) : null;
  if (!match || match[1] !== hostname().replace(/[@\s]/g, '_')) return false;
  const pid = Number(match[2]);
  return pid !== process.pid && !isPidAlive(pid);
}

/**
 * Leases held by a StoryCore process on this machine that is gone (killed, crashed) go back
 * to ready at once instead of after the lease time, keeping their prompt reference so the
 * dispatcher re-attaches. Leases of live processes, or of other hosts, are left to expire.
 * Returns how many jobs were recovered.
 */
export async function recoverDeadLeases(queue: JobQueue): Promise<number> {
  const leased = await queue.list({ state: 'leased' });
  const dead = leased.filter((j) => j.lease && deadLocalOwner(j.lease.owner));
  if (dead.length === 0) return 0;
  const live = leased.filter((j) => j.lease && !dead.includes(j));
  const latestDead = Math.max(...dead.map((j) => j.lease!.expiresAt));
  // Recovery is by expiry time: stop short of any live lease.
  const earliestLive = live.length ? Math.min(...live.map((j) => j.lease!.expiresAt)) : Number.POSITIVE_INFINITY;
  const until = Math.min(latestDead, earliestLive - 1);
  return (await queue.recoverExpiredLeases(until)).length;
}
