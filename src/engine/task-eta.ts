import { templateById } from '../catalog/templates/index.js';

/**
 * Time left for a run: each queued task's catalogue estimate (the router's starting point),
 * scaled by how the finished tasks' wall times compared to their estimates, spread over the
 * workers. Undefined until one task has finished (nothing to scale by yet).
 */
export class TaskEta {
  private readonly pending = new Map<string, { template: string; seconds: number }>();
  /** Per template: estimated seconds and wall ms of finished runs (templates differ in how far off the catalogue is). */
  private readonly done = new Map<string, { estimated: number; actual: number }>();
  private workers = 1;
  private count = 0;
  private profile = 'rtx4090';

  setWorkers(count: number, profile: string): void {
    this.workers = Math.max(1, count);
    this.profile = profile;
  }

  add(key: string, templateId: string, params: Record<string, unknown>): void {
    this.pending.set(key, { template: templateId, seconds: Math.max(0.001, estimatedSeconds(templateId, params, this.profile)) });
  }

  drop(key: string): void {
    this.pending.delete(key);
  }

  observe(key: string, actualMs: number | undefined): void {
    const estimate = this.pending.get(key);
    this.pending.delete(key);
    if (estimate === undefined || actualMs === undefined) return;
    const entry = this.done.get(estimate.template) ?? { estimated: 0, actual: 0 };
    entry.estimated += estimate.seconds;
    entry.actual += actualMs;
    this.done.set(estimate.template, entry);
    this.count++;
  }

  remainingMs(): number | undefined {
    if (this.done.size === 0) return undefined;
    // A template not seen yet takes the mean wall time per run of those that were.
    const runs = [...this.done.values()];
    const meanMs = runs.reduce((a, r) => a + r.actual, 0) / Math.max(1, this.finished);
    let left = 0;
    for (const p of this.pending.values()) {
      const seen = this.done.get(p.template);
      left += seen ? p.seconds * (seen.actual / seen.estimated) : meanMs;
    }
    return Math.round(left / this.workers);
  }

  private get finished(): number {
    return this.count;
  }
}

/** The template's own estimate of a run, in seconds on a profile (what the router starts from). */
export function estimatedSeconds(templateId: string, params: Record<string, unknown>, profile: string): number {
  const estimate = templateById(templateId).estimate(params);
  const perStep = (estimate.secondsPerStep as Record<string, number>)[profile] ?? estimate.secondsPerStep.rtx4090;
  return estimate.steps * perStep;
}
