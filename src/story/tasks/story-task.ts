import type { TemplateOutput } from '../../catalog/templates/template.js';

/** The stages a shot goes through; the cut is rendered locally, not on a worker. */
export const TASK_STAGES = ['keyframe', 'clip', 'interpolation'] as const;
export type TaskStage = (typeof TASK_STAGES)[number];

/** The asset role each stage's output gets (and its link name under renders/<shot>/). */
export const STAGE_ROLE: Record<TaskStage, 'keyframe' | 'clip' | 'interpolated'> = {
  keyframe: 'keyframe',
  clip: 'clip',
  interpolation: 'interpolated',
};

/** Where one input file of a task comes from: another task's output, or a file of the project. */
/** Another task's output, or a project file (a character's reference image names the character). */
export type TaskInputSource = { task: string } | { file: string; character?: string };

export interface TaskInput {
  /** Name in the task identity and manifest (`start_image`, `reference`, `video`). */
  role: string;
  /** The template parameter that names the uploaded file. */
  param: string;
  kind: 'image' | 'video';
  from: TaskInputSource;
}

/**
 * One unit of GPU work of a story: a template run with fully parsed parameters. Input files
 * are named by where they come from; their sha256 (and so the task hash) is known only once
 * the producing task has an asset.
 */
export interface StoryTask {
  /** `shot-003/clip`: stable across runs, unique in the story. */
  key: string;
  shotId: string;
  stage: TaskStage;
  role: 'keyframe' | 'clip' | 'interpolated';
  templateId: string;
  templateVersion: string;
  /** Every template parameter (defaults filled); input-file parameters are set at bind time. */
  params: Record<string, unknown>;
  inputs: TaskInput[];
  /** Keys of the tasks whose outputs this one reads. */
  dependsOn: string[];
  /** What the run produces (frames and fps for clips). */
  output: TemplateOutput;
  /** `shot-003 clip`, for messages. */
  label: string;
}

/** The tasks of a story in dependency order (keyframes, then clips, then interpolations per shot). */
export interface StoryTaskGraph {
  tasks: StoryTask[];
  /** Shot ids in story order. */
  shots: string[];
}
