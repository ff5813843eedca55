import type { PromptRecord } from './prompt-record.js';
import { PHASES, phasesOf, type MetricsSummary } from './summary.js';

/** Histogram buckets in seconds: sub-second uploads up to hour-long video jobs. */
export const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;

/** A label value as the text exposition format wants it: backslash, quote and newline escaped. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const labels = (pairs: Record<string, string>): string =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`;

const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, ''));

/**
 * The Prometheus text exposition format (version 0.0.4) of the recorded attempts:
 * `storycore_job_duration_seconds` (histogram by phase, completed jobs),
 * `storycore_worker_utilisation` (gauge), `storycore_jobs_total` (counter by worker and
 * outcome), `storycore_model_loads_total` and `storycore_node_seconds_total` (counters).
 */
export function toPrometheus(records: readonly PromptRecord[], summary: MetricsSummary): string {
  const out: string[] = [];
  out.push('# HELP storycore_job_duration_seconds Time a completed job spent in each phase (total: added to completed).');
  out.push('# TYPE storycore_job_duration_seconds histogram');
  const completed = records.filter((r) => r.outcome === 'completed');
  for (const phase of PHASES) {
    const seconds = completed.map((r) => phasesOf(r)[phase] / 1000);
    for (const le of DURATION_BUCKETS) {
      out.push(`storycore_job_duration_seconds_bucket${labels({ phase, le: String(le) })} ${seconds.filter((s) => s <= le).length}`);
    }
    out.push(`storycore_job_duration_seconds_bucket${labels({ phase, le: '+Inf' })} ${seconds.length}`);
    out.push(`storycore_job_duration_seconds_sum${labels({ phase })} ${num(seconds.reduce((s, v) => s + v, 0))}`);
    out.push(`storycore_job_duration_seconds_count${labels({ phase })} ${seconds.length}`);
  }
  out.push('# HELP storycore_worker_utilisation Share of the window the worker spent executing prompts (0..1).');
  out.push('# TYPE storycore_worker_utilisation gauge');
  for (const w of summary.workers) out.push(`storycore_worker_utilisation${labels({ worker: w.worker, gpu: w.gpu })} ${num(w.utilisation)}`);
  out.push('# HELP storycore_jobs_total Job attempts by the way they ended.');
  out.push('# TYPE storycore_jobs_total counter');
  for (const w of summary.workers) {
    for (const [outcome, n] of [['completed', w.completed], ['failed', w.failed], ['retried', w.retried]] as const) {
      out.push(`storycore_jobs_total${labels({ worker: w.worker, outcome })} ${n}`);
    }
  }
  out.push('# HELP storycore_model_loads_total Model files loaded onto the GPU for dispatched prompts (believed from residency).');
  out.push('# TYPE storycore_model_loads_total counter');
  for (const w of summary.workers) out.push(`storycore_model_loads_total${labels({ worker: w.worker })} ${w.modelLoads}`);
  out.push('# HELP storycore_node_seconds_total Execution time by node class, completed jobs.');
  out.push('# TYPE storycore_node_seconds_total counter');
  for (const n of summary.nodes) out.push(`storycore_node_seconds_total${labels({ class_type: n.classType })} ${num(n.totalMs / 1000)}`);
  return `${out.join('\n')}\n`;
}
