import { dirname, resolve } from 'node:path';
import { assertLicences, type PlannedModel } from '../assets/index.js';
import { requirementsOf } from '../catalog/templates/index.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../platform/input-limits.js';
import { resolveProjectPath } from '../platform/project-path.js';
import { loadStory, type Story } from '../story/format/index.js';
import { expandStory, placeholderGraph, type StoryTask, type StoryTaskGraph } from '../story/tasks/index.js';

/** A loaded story and its tasks, checked against the licence policy. */
export interface StoryPlan {
  story: Story;
  /** Absolute path of story.yaml. */
  storyPath: string;
  /** The project folder (where story.yaml is). */
  projectDir: string;
  graph: StoryTaskGraph;
  /** Size limits its inputs (reference images) are read with. */
  limits: InputLimits;
}

export interface PlanOptions {
  /** Folders outside the project that reference paths may name (config paths.allowedDirs). */
  allowedDirs?: readonly string[];
  /** Config `limits`. */
  limits?: InputLimits;
}

/** The model files one task loads, labelled with the task for messages. */
export function taskModels(task: StoryTask): PlannedModel[] {
  return requirementsOf(placeholderGraph(task)).models.map((m) => ({ file: m.file, folder: m.folder, usedBy: task.label, templateId: task.templateId }));
}

/**
 * Loads story.yaml (errors name file, line and field), expands it into tasks and applies the
 * licence policy at plan time: in a `commercial: true` story every model of every task must
 * allow commercial use, else LicencePolicyError, before anything is queued or submitted.
 */
export function planStory(storyPath: string, cwd: string, options: PlanOptions = {}): StoryPlan {
  const absolute = resolve(cwd, storyPath);
  const limits = options.limits ?? DEFAULT_INPUT_LIMITS;
  const story = loadStory(storyPath, { cwd, limits });
  const projectDir = dirname(absolute);
  checkStoryPaths(story, { projectDir, allowedDirs: options.allowedDirs ?? [] });
  const graph = expandStory(story, { storyDir: projectDir });
  assertLicences({ commercial: story.commercial, models: graph.tasks.flatMap(taskModels) });
  return { story, storyPath: absolute, projectDir, graph, limits };
}

/**
 * Every file path in the story (character reference images) must name an existing file
 * inside the project folder or an allowed folder, also after following symlinks: a shared
 * story file must not be able to upload ~/.ssh/id_rsa to a worker.
 */
export function checkStoryPaths(story: Story, scope: { projectDir: string; allowedDirs: readonly string[] }): void {
  story.characters.forEach((character, i) => {
    character.references?.forEach((reference, j) => {
      resolveProjectPath(reference, scope, `characters[${i}].references[${j}]`, { mustExist: true });
    });
  });
}

/** Folder → model files the tasks load: what an emulated worker must list to run them. */
export function requiredModels(tasks: readonly StoryTask[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const task of tasks) for (const m of taskModels(task)) (out[m.folder] ??= new Set()).add(m.file);
  return Object.fromEntries(Object.entries(out).map(([folder, files]) => [folder, [...files].sort()]));
}
