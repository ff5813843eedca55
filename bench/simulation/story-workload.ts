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
  /** Task ids are `<prefix>key-NN` / `<prefix>clip-NN` (default ''): several projects in one pool. */
  prefix?: string;
  /** When the project is submitted, virtual ms (default 0). */
  arrivalMs?: number;
  /** Priority of every task (default 0). */
  priority?: number;
  /** Number of the first shot (default 1). */
  firstShot?: number;
}

/** The parameter a template takes its prompt text in (NewBie's `prompt` is structured XML; raw text goes in `rawPrompt`). */
export function promptParam(templateId: string, text: string): Record<string, string> {
  return templateId === 'newbie-anime' ? { rawPrompt: text } : { prompt: text };
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
  const p = options.prefix ?? '';
  const first = options.firstShot ?? 1;
  const shared = { priority: options.priority ?? 0 };
  const when = options.arrivalMs ? { arrivalMs: options.arrivalMs } : {};
  const tasks: SimTask[] = [];
  for (let i = first; i < first + options.shots; i += 1) {
    const n = String(i).padStart(2, '0');
    const params = { ...key.params, ...promptParam(key.templateId, `${p}shot ${n}: the harbour at dusk, wide`), seed: 1000 + i };
    tasks.push({ task: routableTask(keyT, params, { id: `${p}key-${n}`, ...shared }), graph: keyT.build(params), ...when });
  }
  for (let i = first; i < first + options.shots; i += 1) {
    const n = String(i).padStart(2, '0');
    const params = { ...clip.params, prompt: `${p}shot ${n}: the camera drifts along the quay`, image: `${p}key-${n}.png`, seed: 2000 + i };
    tasks.push({ task: routableTask(clipT, params, { id: `${p}clip-${n}`, dependsOn: [`${p}key-${n}`], ...shared }), graph: clipT.build(params), ...when });
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
