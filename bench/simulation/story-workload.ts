import { templateById } from '../../src/catalog/templates/registry.js';
import type { GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';
import { routableTask } from '../../src/scheduler/router/routable-task.js';
import type { SimTask, SimWorkerSpec } from './simulate.js';

export interface StoryWorkloadOptions {
  shots: number;
  /** Keyframe template and its parameters (default qwen-image-t2i at 1280×720). */
  keyframe?: { templateId: string; params: Record<string, unknown> };
  /** Clip template and its parameters (default wan22-i2v-14b at its defaults: 640×640, 5 s). */
  clip?: { templateId: string; params: Record<string, unknown> };
}

/**
 * The benchmark's story: one keyframe per shot, then one image-to-video clip per shot that
 * starts from its keyframe (so each clip depends on its keyframe). Every prompt and seed
 * differs, as in a real story, so ComfyUI's cache never skips a sampler.
 */
export function storyWorkload(options: StoryWorkloadOptions): SimTask[] {
  const key = options.keyframe ?? { templateId: 'qwen-image-t2i', params: { width: 1280, height: 720 } };
  const clip = options.clip ?? { templateId: 'wan22-i2v-14b', params: {} };
  const keyT = templateById(key.templateId);
  const clipT = templateById(clip.templateId);
  const tasks: SimTask[] = [];
  for (let i = 1; i <= options.shots; i += 1) {
    const n = String(i).padStart(2, '0');
    const params = { ...key.params, prompt: `shot ${n}: the harbour at dusk, wide`, seed: 1000 + i };
    tasks.push({ task: routableTask(keyT, params, { id: `key-${n}` }), graph: keyT.build(params) });
  }
  for (let i = 1; i <= options.shots; i += 1) {
    const n = String(i).padStart(2, '0');
    const params = { ...clip.params, prompt: `shot ${n}: the camera drifts along the quay`, image: `key-${n}.png`, seed: 2000 + i };
    tasks.push({ task: routableTask(clipT, params, { id: `clip-${n}`, dependsOn: [`key-${n}`] }), graph: clipT.build(params) });
  }
  return tasks;
}

/** Folder → files every task of `tasks` loads: a worker that has all of them. */
export function modelsFor(tasks: readonly SimTask[]): Record<string, string[]> {
  const models: Record<string, Set<string>> = {};
  for (const { task } of tasks) for (const m of task.models) (models[m.folder] ??= new Set()).add(m.file);
  return Object.fromEntries(Object.entries(models).map(([k, v]) => [k, [...v].sort()]));
}

/** A pool of workers that all have the models of `tasks`, named `<profile>-<n>`. */
export function pool(profiles: readonly GpuProfileId[], tasks: readonly SimTask[]): SimWorkerSpec[] {
  const models = modelsFor(tasks);
  const seen = new Map<string, number>();
  return profiles.map((profile) => {
    const n = (seen.get(profile) ?? 0) + 1;
    seen.set(profile, n);
    return { name: `${profile}-${n}`, profile, models };
  });
}
