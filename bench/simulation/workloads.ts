import { templateById } from '../../src/catalog/templates/registry.js';
import { routableTask } from '../../src/scheduler/router/routable-task.js';
import type { SimTask, SimWorkerSpec } from './simulate.js';
import { pool, promptParam, storyWorkload } from './story-workload.js';

const GiB = 1024 ** 3;
const MINUTE = 60_000;

/** The keyframe models of the benchmark, at the sizes a story uses them. */
export const KEYFRAME_MODELS = {
  'qwen-image': { templateId: 'qwen-image-t2i', params: { width: 1280, height: 720 } },
  sdxl: { templateId: 'sdxl-t2i', params: { width: 1280, height: 720 } },
  newbie: { templateId: 'newbie-anime', params: { width: 1280, height: 720 } },
  sd15: { templateId: 'sd15-t2i', params: {} },
} as const;
export type KeyframeModel = keyof typeof KEYFRAME_MODELS;

export interface Workload {
  id: 'a' | 'b' | 'c';
  title: string;
  tasks: SimTask[];
  workers: SimWorkerSpec[];
}

/** (a) The 24-shot story: Qwen-Image keyframes then Wan 2.2 clips on A100, 5090 and two 4090s. */
export function storyOnFourGpus(shots = 24): Workload {
  const tasks = storyWorkload({ shots });
  return { id: 'a', title: `(a) ${shots}-shot story`, tasks, workers: pool(['a100-80g', 'rtx5090', 'rtx4090', 'rtx4090'], tasks) };
}

/** The three projects of (b): one per keyframe model, each shot with a Wan 2.2 i2v clip. */
export const PROJECTS: ReadonlyArray<{ prefix: string; model: KeyframeModel }> = [
  { prefix: 'qwen/', model: 'qwen-image' },
  { prefix: 'sdxl/', model: 'sdxl' },
  { prefix: 'newbie/', model: 'newbie' },
];

/**
 * (b) Three projects submitted `gapMs` apart (10 min) with different keyframe models (Qwen-Image,
 * SDXL, NewBie), each with Wan 2.2 clips, on six workers: 2× RTX 4090 in 64 GiB boxes,
 * 2× RTX 5090, 1× A100-80G, 1× L40S.
 */
export function threeProjects(shotsPerProject = 16, gapMs = 10 * MINUTE): Workload {
  const tasks = PROJECTS.flatMap((p, i) => storyWorkload({ shots: shotsPerProject, keyframe: KEYFRAME_MODELS[p.model], prefix: p.prefix, arrivalMs: i * gapMs }));
  const workers = pool(['rtx4090', 'rtx4090', 'rtx5090', 'rtx5090', 'a100-80g', 'l40s'], tasks).map((w) => (w.profile === 'rtx4090' ? { ...w, hostRamBytes: 64 * GiB } : w));
  return { id: 'b', title: `(b) 3 projects × ${shotsPerProject} shots, ${gapMs / MINUTE} min apart`, tasks, workers };
}

/**
 * (c) A burst of `count` keyframes across four image models (Qwen-Image, SDXL, NewBie, SD 1.5),
 * all submitted at once and interleaved as four users would send them, on 4× RTX 4090 in
 * 32 GiB boxes (the four model sets do not fit host RAM together).
 */
export function keyframeBurst(count = 200): Workload {
  const models = Object.keys(KEYFRAME_MODELS) as KeyframeModel[];
  const tasks: SimTask[] = [];
  for (let i = 0; i < count; i += 1) {
    const model = models[i % models.length]!;
    const { templateId, params: base } = KEYFRAME_MODELS[model];
    const template = templateById(templateId);
    const n = String(Math.floor(i / models.length) + 1).padStart(3, '0');
    const params = { ...base, ...promptParam(templateId, `${model} frame ${n}: a lighthouse in the rain`), seed: 5000 + i };
    tasks.push({ task: routableTask(template, params, { id: `${model}/key-${n}` }), graph: template.build(params) });
  }
  const workers = pool(['rtx4090', 'rtx4090', 'rtx4090', 'rtx4090'], tasks).map((w) => ({ ...w, hostRamBytes: 32 * GiB }));
  return { id: 'c', title: `(c) burst of ${count} keyframes, 4 image models`, tasks, workers };
}

/**
 * A shot regenerated while (b) runs: its keyframe and clip again, with new seeds, at a priority
 * above the run's, submitted at `atMs`. Added to (b)'s tasks; the workers must have its models
 * (they do: it is one of (b)'s projects).
 */
export function regeneratedShot(atMs: number, priority = 10, project = PROJECTS[0]!, shot = 3): SimTask[] {
  return storyWorkload({ shots: 1, firstShot: shot, keyframe: KEYFRAME_MODELS[project.model], prefix: `${project.prefix}regen-`, arrivalMs: atMs, priority }).map((t, i) => {
    // New seeds: a regeneration never hits ComfyUI's cache.
    const params = { ...t.task.params, seed: 9000 + i };
    const template = templateById(t.task.templateId);
    return { ...t, task: { ...routableTask(template, params, { id: t.task.id, priority, dependsOn: t.task.dependsOn }) }, graph: template.build(params) };
  });
}
