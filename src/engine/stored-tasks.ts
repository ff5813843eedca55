import { existsSync } from 'node:fs';
import { StoreLayout, taskHash, type AssetStore, type TaskOutput } from '../assets/index.js';
import { bindTask, type BoundTask, type StoryTask } from '../story/tasks/index.js';
import type { StoryPlan } from './story-plan.js';
import { resolveInputs, type ResolvedInput } from './task-inputs.js';

/** A task with its inputs resolved: its bound form, inputs and identity hash. */
export interface IdentifiedTask {
  bound: BoundTask;
  inputs: ResolvedInput[];
  hash: string;
}

/** Binds a task to resolved inputs and computes its hash (template, parameters, input hashes). */
export function identify(task: StoryTask, inputs: ResolvedInput[]): IdentifiedTask {
  const bound = bindTask(task, Object.fromEntries(inputs.map((i) => [i.role, i])));
  const hash = taskHash({ templateId: task.templateId, templateVersion: task.templateVersion, params: bound.params, inputs: bound.inputHashes });
  return { bound, inputs, hash };
}

/** What the store holds for one task of the current story. */
export interface StoredTask {
  task: StoryTask;
  /** Undefined while an input of the task has no asset (its hash depends on that input). */
  hash?: string;
  outputs?: TaskOutput[];
}

/**
 * Walks the story's tasks in order and looks each one up by its hash, without running
 * anything: what `render` and `status` see. A task whose input has no asset yet has no hash.
 */
export async function storedTasks(store: AssetStore, plan: StoryPlan): Promise<Map<string, StoredTask>> {
  const out = new Map<string, StoredTask>();
  for (const task of plan.graph.tasks) {
    const inputs = await resolveInputs(task, store, (key) => out.get(key)?.outputs, plan.limits);
    if (!inputs) {
      out.set(task.key, { task });
      continue;
    }
    const { hash } = identify(task, inputs);
    const outputs = await store.lookupTask(hash);
    out.set(task.key, { task, hash, ...(outputs ? { outputs } : {}) });
  }
  return out;
}

/**
 * Whether the project has a task index at all. Without one no task can be stored, so a run
 * with no worker can be refused before the project's store and queue are created.
 */
export function hasTaskIndex(projectDir: string): boolean {
  return existsSync(new StoreLayout(projectDir).index);
}
