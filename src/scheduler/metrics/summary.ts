import type { PromptRecord } from './prompt-record.js';

export const PHASES = ['queued', 'uploading', 'executing', 'downloading', 'total'] as const;
export type Phase = (typeof PHASES)[number];

export interface Distribution {
  count: number;
  sumMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface WorkerMetrics {
  worker: string;
  gpu: string;
  completed: number;
  failed: number;
  /** Attempts that ended with a retry (the job moved on). */
  retried: number;
  busyMs: number;
  /** Busy time (prompt executing) over the window. */
  utilisation: number;
  modelLoads: number;
}

export interface MetricsSummary {
  window: { from: number; to: number; ms: number };
  jobs: { completed: number; failed: number; retried: number; cancelled: number; reattached: number };
  /** Per completed job attempt: time in each phase. */
  phases: Record<Phase, Distribution>;
  workers: WorkerMetrics[];
  /** Execution time per node class, slowest total first. */
  nodes: Array<{ classType: string; count: number; p50Ms: number; totalMs: number }>;
}

/** The q-quantile (nearest rank) of ascending `sorted`; 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    sumMs: sorted.reduce((s, v) => s + v, 0),
    p50Ms: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    maxMs: sorted.at(-1) ?? 0,
  };
}

/** Phase durations of one attempt in ms (executing: 0 when it never started). */
export function phasesOf(r: PromptRecord): Record<Phase, number> {
  return {
    queued: r.queuedMs,
    uploading: r.uploadMs,
    executing: r.executeMs ?? 0,
    downloading: r.downloadMs,
    total: r.doneAt - r.createdAt,
  };
}

/** Total length of the union of [start, end) intervals. */
function unionMs(intervals: Array<[number, number]>): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [a, b] of sorted) {
    if (a >= end) {
      total += b - a;
      end = b;
    } else if (b > end) {
      total += b - end;
      end = b;
    }
  }
  return total;
}

/**
 * Everything `storycore metrics` shows, from the recorded attempts: phase distributions of
 * completed jobs, per-worker utilisation (executing time over the window from the first
 * attempt's lease to the last one's end), model loads, outcomes, node times.
 */
export function summarize(records: readonly PromptRecord[], now?: number): MetricsSummary {
  const from = records.length ? Math.min(...records.map((r) => r.leasedAt)) : 0;
  const to = records.length ? Math.max(...records.map((r) => r.doneAt), now ?? 0) : 0;
  const windowMs = Math.max(0, to - from);
  const completed = records.filter((r) => r.outcome === 'completed');
  const phases = Object.fromEntries(PHASES.map((p) => [p, distribution(completed.map((r) => phasesOf(r)[p]))])) as Record<Phase, Distribution>;

  const byWorker = new Map<string, PromptRecord[]>();
  for (const r of records) byWorker.set(r.worker, [...(byWorker.get(r.worker) ?? []), r]);
  const workers = [...byWorker.entries()]
    .map(([worker, rows]): WorkerMetrics => {
      const busyMs = unionMs(rows.filter((r) => r.startedAt !== null).map((r) => [r.startedAt!, r.finishedAt ?? r.doneAt]));
      return {
        worker,
        gpu: rows.at(-1)!.gpu,
        completed: rows.filter((r) => r.outcome === 'completed').length,
        failed: rows.filter((r) => r.outcome === 'failed').length,
        retried: rows.filter((r) => r.outcome === 'retried').length,
        busyMs,
        utilisation: windowMs > 0 ? Math.min(1, busyMs / windowMs) : 0,
        modelLoads: rows.reduce((s, r) => s + r.modelLoads, 0),
      };
    })
    .sort((a, b) => a.worker.localeCompare(b.worker));

  const byClass = new Map<string, number[]>();
  for (const r of completed) {
    for (const [nodeId, n] of Object.entries(r.nodes)) {
      const key = n.classType ?? `#${nodeId}`;
      byClass.set(key, [...(byClass.get(key) ?? []), n.ms]);
    }
  }
  const nodes = [...byClass.entries()]
    .map(([classType, ms]) => ({ classType, count: ms.length, p50Ms: quantile([...ms].sort((a, b) => a - b), 0.5), totalMs: ms.reduce((s, v) => s + v, 0) }))
    .sort((a, b) => b.totalMs - a.totalMs);

  return {
    window: { from, to, ms: windowMs },
    jobs: {
      completed: completed.length,
      failed: records.filter((r) => r.outcome === 'failed').length,
      retried: records.filter((r) => r.outcome === 'retried').length,
      cancelled: records.filter((r) => r.outcome === 'cancelled').length,
      reattached: records.filter((r) => r.reattached).length,
    },
    phases,
    workers,
    nodes,
  };
}
