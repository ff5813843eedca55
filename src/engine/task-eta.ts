import { GPU_PROFILES, type GpuProfileId } from '../catalog/cost/gpu-profiles.js';
import { templateById } from '../catalog/templates/index.js';
import { modelBytes } from '../scheduler/router/index.js';

/**
 * Time left for a run: every task not yet finished — including those still waiting for their
 * inputs, such as clips behind their keyframes — at its catalogue estimate (the router's starting
 * point), scaled by how the finished tasks' wall times compared to their estimates (per template,
 * else over all templates), spread over the workers. Until a task has finished the figure is
 * the catalogue's alone: `isGuess()` says so.
 */
export class TaskEta {
  private readonly pending = new Map<string, { template: string; seconds: number; models: readonly string[] }>();
  /** Per template: estimated seconds and wall ms of finished runs (templates differ in how far off the catalogue is). */
  private readonly done = new Map<string, { estimated: number; actual: number }>();
  private workers = 1;
  private count = 0;
  private profile = 'rtx4090';

  setWorkers(count: number, profile: string): void {
    this.workers = Math.max(1, count);
    this.profile = profile;
  }

  /** `models`: the files the task loads, for the first guess's load time (the router's model). */
  add(key: string, templateId: string, params: Record<string, unknown>, models: readonly string[] = this.pending.get(key)?.models ?? []): void {
    let seconds: number;
    try {
      seconds = estimatedSeconds(templateId, params, this.profile);
    } catch {
      return; // parameters the template refuses fail the task itself, with a better message
    }
    this.pending.set(key, { template: templateId, seconds: Math.max(0.001, seconds), models });
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
    if (this.pending.size === 0) return undefined;
    // A template not seen yet is scaled by how far off the catalogue was on the templates that were.
    const runs = [...this.done.values()];
    const estimated = runs.reduce((a, r) => a + r.estimated, 0);
    const overall = estimated > 0 ? runs.reduce((a, r) => a + r.actual, 0) / estimated : 1000;
    let left = 0;
    for (const p of this.pending.values()) {
      const seen = this.done.get(p.template);
      left += p.seconds * (seen ? seen.actual / seen.estimated : overall);
    }
    // Before anything finished, add what the router's cost model says loading the models takes
    // (disk, then host to GPU), once per model: later, the observed times include the loads.
    const loads = this.count === 0 ? this.loadMs() : 0;
    return Math.round(left / this.workers + loads);
  }

  private loadMs(): number {
    const profile = GPU_PROFILES[this.profile as GpuProfileId] ?? GPU_PROFILES.rtx4090;
    const files = new Set([...this.pending.values()].flatMap((p) => p.models));
    let ms = 0;
    for (const file of files) ms += (modelBytes(file) / profile.diskBytesPerSec + modelBytes(file) / profile.hostToDeviceBytesPerSec) * 1000;
    return ms;
  }

  /** True while no task of this run has finished: the ETA is the catalogue's estimate alone. */
  isGuess(): boolean {
    return this.count === 0;
  }
}

/** The template's own estimate of a run, in seconds on a profile (what the router starts from). */
export function estimatedSeconds(templateId: string, params: Record<string, unknown>, profile: string): number {
  const estimate = templateById(templateId).estimate(params);
  const perStep = (estimate.secondsPerStep as Record<string, number>)[profile] ?? estimate.secondsPerStep.rtx4090;
  return estimate.steps * perStep;
}
