export { MetricsStore } from './metrics-store.js';
export { NodeTimer } from './node-timer.js';
export { summarize, distribution, quantile, phasesOf, PHASES, type Phase, type Distribution, type MetricsSummary, type WorkerMetrics } from './summary.js';
export { toPrometheus, escapeLabel, DURATION_BUCKETS } from './prometheus.js';
export type { PromptRecord, PromptOutcome, NodeTimings } from './prompt-record.js';
