import type { SimResult, TaskRecord } from './simulate.js';

/** How long one urgent prompt waited, against what was running on the pool when it became ready. */
export interface PriorityWait {
  taskId: string;
  worker: string;
  readyAt: number;
  /** startedAt − readyAt. */
  waitMs: number;
  /** What was left of the prompt running on its worker when it became ready (0: the worker was idle). */
  runningRemainingMs: number;
  /** Prompts that started on its worker between it becoming ready and starting (0 = the next free slot there). */
  promptsAhead: number;
  /** When the first worker of the pool freed, after it became ready (0 when one was idle). */
  poolNextFreeMs: number;
}

/** The wait of each of `taskIds` in a finished simulation. */
export function priorityWaits(result: SimResult, taskIds: readonly string[]): PriorityWait[] {
  return taskIds.map((id) => {
    const me = result.records.find((r) => r.taskId === id);
    if (!me) throw new Error(`${id} did not run`);
    const at = me.readyAt;
    const mine = result.records.filter((r) => r.worker === me.worker);
    const running = mine.find((r) => r.startedAt <= at && r.finishedAt > at && r !== me);
    // A prompt that started the instant it became ready was already running (ComfyUI starts the next queued one at once).
    const ahead = mine.filter((r) => r !== me && r !== running && r.startedAt >= at && r.startedAt < me.startedAt);
    const workers = [...new Set(result.records.map((r) => r.worker))];
    const freeAt = (w: string): number => {
      const busy = result.records.find((r: TaskRecord) => r.worker === w && r.startedAt <= at && r.finishedAt > at);
      return busy ? busy.finishedAt - at : 0;
    };
    return {
      taskId: id,
      worker: me.worker,
      readyAt: at,
      waitMs: me.startedAt - at,
      runningRemainingMs: running ? running.finishedAt - at : 0,
      promptsAhead: ahead.length,
      poolNextFreeMs: Math.min(...workers.map(freeAt)),
    };
  });
}
