import type { ProbeReply } from './health-probe.js';

export interface ReadinessInput {
  reply: ProbeReply;
  maxQueued: number;
  /** Outcomes of the most recent jobs on the worker, oldest first (true = succeeded). */
  recentJobs: readonly boolean[];
  /** How many recent jobs must all have failed before the worker counts as not ready. */
  failingJobsThreshold: number;
}

export interface Readiness {
  ready: boolean;
  /** Why it is not ready; empty when ready. */
  reasons: string[];
}

/**
 * A worker that answers is ready when it can take more work: its queue is under `maxQueued`,
 * it reports a device with free VRAM, and its recent jobs are not all failing.
 */
export function assessReadiness(input: ReadinessInput): Readiness {
  const reasons: string[] = [];
  const depth = input.reply.queueDepth;
  if (depth !== undefined && depth >= input.maxQueued) reasons.push(`queue full (${depth}/${input.maxQueued})`);
  const device = input.reply.stats.devices[0];
  if (!device) reasons.push('no device reported in /system_stats');
  else if (typeof device.vram_free !== 'number' || !Number.isFinite(device.vram_free)) reasons.push('no free VRAM reported');
  const recent = input.recentJobs.slice(-input.failingJobsThreshold);
  if (input.failingJobsThreshold > 0 && recent.length >= input.failingJobsThreshold && recent.every((ok) => !ok)) {
    reasons.push(`last ${recent.length} jobs failed`);
  }
  return { ready: reasons.length === 0, reasons };
}
