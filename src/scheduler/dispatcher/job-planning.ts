import { templateById } from '../../catalog/templates/registry.js';
import { constraintsFromHistory, type JobConstraints } from '../failure-policy/job-constraints.js';
import { lowerMemoryOption } from '../failure-policy/lower-memory.js';
import type { Job } from '../queue/job-queue.js';
import { routableTask } from '../router/routable-task.js';
import { parsePayload } from './job-payload.js';
import { workerOfOwner } from './owner.js';
import type { PlannedJob } from './prompt-run.js';

export interface JobPlan extends PlannedJob {
  constraints: JobConstraints;
  /** The lower-memory form an OOM could still switch to. */
  lowerMemoryId?: string;
}

/**
 * A ready job as the dispatcher routes it: payload checked, template and variant applied,
 * the constraints its history imposes (excluded workers, minimum VRAM, a lower-memory form
 * an earlier OOM chose), and its RoutableTask. Throws for a job that can never run.
 */
export function planJob(job: Job, vramOf: (worker: string) => number | undefined): JobPlan {
  const payload = parsePayload(job);
  const template = templateById(payload.templateId);
  let params: Record<string, unknown> = payload.variant ? (template.variant(payload.variant, payload.params) as Record<string, unknown>) : { ...payload.params };
  template.parse(params);
  const constraints = constraintsFromHistory(job.history, workerOfOwner, vramOf);
  let variant: string | null = payload.variant ?? null;
  const lower = lowerMemoryOption(template, params);
  if (constraints.variant && lower && lower.id === constraints.variant) {
    params = lower.params;
    variant = lower.id;
  }
  const task = routableTask(template, params, { id: job.id, priority: job.priority, dependsOn: job.dependsOn });
  const lowerNow = variant === (lower?.id ?? null) ? undefined : lower?.id;
  return { job, payload, template, params, variant, task, constraints, ...(lowerNow ? { lowerMemoryId: lowerNow } : {}) };
}
