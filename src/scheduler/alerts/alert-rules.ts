import { z } from 'zod';
import { quantile } from '../metrics/summary.js';

/** Thresholds; a rule left out is off. Times in ms, VRAM in GB. */
export const alertRulesSchema = z.strictObject({
  /** A worker down for this long. */
  workerDownMs: z.number().int().positive().optional(),
  /** The 95th percentile of queue wait (ready → leased) over the window above this. */
  queueWaitP95Ms: z.number().positive().optional(),
  /** Share of failed attempts over the window above this (0..1), once `minAttempts` ran. */
  errorRate: z.number().min(0).max(1).optional(),
  /** A healthy worker with less free VRAM than this. */
  freeVramGb: z.number().positive().optional(),
  /** More jobs than this waiting in the queue (waiting or ready, not leased). */
  queueDepth: z.number().int().positive().optional(),
  /** The window of the rate and percentile rules (default 15 min). */
  windowMs: z.number().int().positive().default(900_000),
  minAttempts: z.number().int().min(1).default(5),
});
export type AlertRules = z.output<typeof alertRulesSchema>;

export type AlertName = 'worker_down' | 'queue_wait_p95' | 'error_rate' | 'low_free_vram' | 'queue_depth';

export interface AlertCondition {
  /** Unique while it lasts: the name plus the worker it is about, when any. */
  key: string;
  name: AlertName;
  severity: 'warning' | 'critical';
  message: string;
  value: number;
  threshold: number;
  worker?: string;
}

/** What the rules look at, gathered by the alert monitor at one instant. */
export interface AlertSnapshot {
  now: number;
  workers: Array<{ name: string; state: string; since: number; vramFreeBytes?: number }>;
  /** Queue waits (ms) of attempts leased within the window. */
  queueWaitsMs: number[];
  /** Attempts ended within the window, and how many of them failed or were retried. */
  attempts: number;
  failedAttempts: number;
  /** Jobs waiting or ready in the queue, when the monitor was given the queue. */
  queueDepth?: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The conditions that hold now. Pure: the monitor turns changes into raised/resolved events. */
export function evaluateRules(rules: AlertRules, s: AlertSnapshot): AlertCondition[] {
  const out: AlertCondition[] = [];
  if (rules.workerDownMs !== undefined) {
    for (const w of s.workers) {
      const downMs = s.now - w.since;
      if (w.state === 'down' && downMs >= rules.workerDownMs) {
        out.push({ key: `worker_down:${w.name}`, name: 'worker_down', severity: 'critical', worker: w.name, value: downMs, threshold: rules.workerDownMs, message: `worker ${w.name} has been down for ${secs(downMs)} (threshold ${secs(rules.workerDownMs)})` });
      }
    }
  }
  if (rules.queueWaitP95Ms !== undefined && s.queueWaitsMs.length > 0) {
    const p95 = quantile([...s.queueWaitsMs].sort((a, b) => a - b), 0.95);
    if (p95 > rules.queueWaitP95Ms) {
      out.push({ key: 'queue_wait_p95', name: 'queue_wait_p95', severity: 'warning', value: p95, threshold: rules.queueWaitP95Ms, message: `queue wait p95 is ${secs(p95)} over the last ${secs(rules.windowMs)} (threshold ${secs(rules.queueWaitP95Ms)})` });
    }
  }
  if (rules.errorRate !== undefined && s.attempts >= rules.minAttempts) {
    const rate = s.failedAttempts / s.attempts;
    if (rate > rules.errorRate) {
      out.push({ key: 'error_rate', name: 'error_rate', severity: 'critical', value: rate, threshold: rules.errorRate, message: `${s.failedAttempts} of ${s.attempts} attempts failed over the last ${secs(rules.windowMs)} (${(rate * 100).toFixed(0)}% > ${(rules.errorRate * 100).toFixed(0)}%)` });
    }
  }
  if (rules.queueDepth !== undefined && s.queueDepth !== undefined && s.queueDepth > rules.queueDepth) {
    out.push({ key: 'queue_depth', name: 'queue_depth', severity: 'warning', value: s.queueDepth, threshold: rules.queueDepth, message: `${s.queueDepth} jobs are waiting in the queue (threshold ${rules.queueDepth})` });
  }
  if (rules.freeVramGb !== undefined) {
    for (const w of s.workers) {
      if (w.state === 'down' || w.vramFreeBytes === undefined) continue;
      const gb = w.vramFreeBytes / 1e9;
      if (gb < rules.freeVramGb) {
        out.push({ key: `low_free_vram:${w.name}`, name: 'low_free_vram', severity: 'warning', worker: w.name, value: gb, threshold: rules.freeVramGb, message: `worker ${w.name} has ${gb.toFixed(1)} GB of VRAM free (threshold ${rules.freeVramGb} GB)` });
      }
    }
  }
  return out;
}
