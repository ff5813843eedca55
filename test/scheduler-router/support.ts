import { templateById } from '../../src/catalog/templates/index.js';
import { routableTask } from '../../src/scheduler/router/routable-task.js';
import type { RoutableTask, WorkerView } from '../../src/scheduler/router/types.js';
import { GPU_PROFILES, type GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';

export const qwen = (id = 'key-01', extra: Record<string, unknown> = {}): RoutableTask =>
  routableTask(templateById('qwen-image-t2i'), { width: 1280, height: 720, ...extra }, { id });
export const wan = (id = 'clip-01', extra: Record<string, unknown> = {}, dependsOn: string[] = []): RoutableTask =>
  routableTask(templateById('wan22-i2v-14b'), { image: 'key.png', ...extra }, { id, dependsOn });

/** A worker that has everything `tasks` need, with overrides. */
export function worker(name: string, profile: GpuProfileId, tasks: RoutableTask[], over: Partial<WorkerView> = {}): WorkerView {
  const modelFiles: Record<string, string[]> = {};
  for (const t of tasks) for (const m of t.models) (modelFiles[m.folder] ??= []).push(m.file);
  return {
    name,
    profile,
    vramTotalBytes: GPU_PROFILES[profile].vramBytes,
    vramFreeBytes: GPU_PROFILES[profile].vramBytes,
    nodeClasses: new Set(tasks.flatMap((t) => t.nodeClasses)),
    modelFiles,
    resident: [],
    inRam: [],
    queue: [],
    healthy: true,
    ...over,
  };
}

export const filesOf = (t: RoutableTask): string[] => t.models.map((m) => m.file);
