import type { ComfyClient } from '../../comfy/client/comfy-client.js';

/** What was done on a worker that came back about the prompts left on it. */
export interface OrphansCleared {
  /** Still queued: deleted from its queue. */
  deleted: string[];
  /** Running: interrupted. */
  interrupted: string[];
}

/**
 * Prompts left on a worker the health monitor marked down. Their jobs moved on (retried on
 * another worker as new prompts), but a worker that was only unreachable still holds them and
 * would spend its GPU on work nobody waits for, ahead of new prompts. When it answers again,
 * the ones still queued are deleted and a running one is interrupted; finished ones are left.
 */
export class OrphanPrompts {
  private readonly byWorker = new Map<string, Set<string>>();

  /** Remembers the prompts of the runs abandoned on `worker`. */
  note(worker: string, promptIds: Iterable<string>): void {
    const set = this.byWorker.get(worker) ?? new Set<string>();
    for (const id of promptIds) set.add(id);
    if (set.size > 0) this.byWorker.set(worker, set);
  }

  has(worker: string): boolean {
    return (this.byWorker.get(worker)?.size ?? 0) > 0;
  }

  /**
   * Removes this worker's orphans from its queue. Throws when the worker cannot be asked (it
   * went away again): the orphans are kept for its next recovery.
   */
  async clear(worker: string, client: Pick<ComfyClient, 'queue' | 'deleteQueued' | 'interrupt'>): Promise<OrphansCleared> {
    const orphans = this.byWorker.get(worker);
    if (!orphans || orphans.size === 0) return { deleted: [], interrupted: [] };
    const queue = await client.queue();
    const deleted = queue.queue_pending.map((item) => item[1]).filter((id) => orphans.has(id));
    const interrupted = queue.queue_running.map((item) => item[1]).filter((id) => orphans.has(id));
    if (deleted.length > 0) await client.deleteQueued(deleted);
    for (const id of interrupted) await client.interrupt(id);
    this.byWorker.delete(worker);
    return { deleted, interrupted };
  }
}
