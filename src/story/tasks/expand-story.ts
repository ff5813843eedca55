import { isAbsolute, resolve } from 'node:path';
import { framesFor, templateById, type AnyTemplate } from '../../catalog/templates/index.js';
import { resolveRenderSettings, type ResolvedStage } from '../format/render-settings.js';
import type { Scene, Shot, Story } from '../format/schema.js';
import { shotNegativePrompt, shotPrompt } from '../prompt/shot-prompt.js';
import { shotSeed } from './shot-seed.js';
import { STAGE_ROLE, type StoryTask, type StoryTaskGraph, type TaskInput, type TaskStage } from './story-task.js';

/** The template keyframes of characters with reference images use: the reference is its input image. */
export const REFERENCE_KEYFRAME_TEMPLATE = 'qwen-image-edit';

/** Output names carry the stage only, so identical tasks of two shots stay one task. */
const PREFIX: Record<TaskStage, string> = { keyframe: 'storycore/keyframe', clip: 'storycore/clip', interpolation: 'storycore/interpolated' };

export interface ExpandOptions {
  /** Folder of story.yaml: character reference paths are relative to it. */
  storyDir: string;
}

/**
 * Expands every shot of a story into its GPU tasks: a keyframe (text to image, or an image
 * edit of the reference when a character in the shot has reference images), a clip (image
 * to video from that keyframe, its length from the shot's duration at the template's frame
 * rate), and an interpolation when the story's quality asks for one. Pure: same story, same tasks.
 *
 * @example expandStory(loadStory('story.yaml'), { storyDir: '.' }).tasks.map((t) => t.key)
 * // ['shot-001/keyframe', 'shot-001/clip', 'shot-002/keyframe', …]
 */
export function expandStory(story: Story, options: ExpandOptions): StoryTaskGraph {
  const stages = resolveRenderSettings(story);
  const tasks: StoryTask[] = [];
  const shots: string[] = [];
  for (const scene of story.scenes) {
    for (const shot of scene.shots) {
      shots.push(shot.id);
      const keyframe = keyframeTask(story, scene, shot, stages.keyframe!, options);
      tasks.push(keyframe);
      const clip = clipTask(story, shot, stages.clip!, keyframe);
      tasks.push(clip);
      if (stages.interpolation) tasks.push(interpolationTask(shot, stages.interpolation, clip));
    }
  }
  return { tasks, shots };
}

function keyframeTask(story: Story, scene: Scene, shot: Shot, stage: ResolvedStage, options: ExpandOptions): StoryTask {
  const prompt = shot.prompt ?? shotPrompt(shot, { style: story.style, characters: story.characters, locations: story.locations, ...(scene.location ? { sceneLocation: scene.location } : {}) });
  const reference = leadReference(story, shot, options.storyDir);
  let template = templateById(stage.template);
  const raw: Record<string, unknown> = { ...stage.params };
  const inputs: TaskInput[] = [];
  if (reference) {
    // The reference image is the start of an edit, so the character keeps their look shot to shot.
    const size = { width: raw.width, height: raw.height };
    template = templateById(REFERENCE_KEYFRAME_TEMPLATE);
    for (const key of Object.keys(raw)) delete raw[key];
    if (typeof size.width === 'number' && typeof size.height === 'number') Object.assign(raw, { width: roundTo(size.width, 16), height: roundTo(size.height, 16) });
    inputs.push({ role: 'reference', param: 'image', kind: 'image', from: { file: reference.path, character: reference.character } });
  }
  const shape = shapeOf(template);
  raw.prompt = prompt;
  if ('negative' in shape && !('negative' in (story.render.keyframe?.params ?? {}))) raw.negative = shotNegativePrompt(story.style);
  if ('seed' in shape) raw.seed = shotSeed(story, shot, 'keyframe');
  if ('filenamePrefix' in shape) raw.filenamePrefix = PREFIX.keyframe;
  return task(shot, 'keyframe', template, raw, inputs, []);
}

function clipTask(story: Story, shot: Shot, stage: ResolvedStage, keyframe: StoryTask): StoryTask {
  const template = templateById(stage.template);
  const shape = shapeOf(template);
  const fixed = story.render.clip?.params ?? {};
  const raw: Record<string, unknown> = { ...stage.params };
  if ('prompt' in shape && !('prompt' in fixed)) raw.prompt = keyframe.params.prompt;
  if ('seed' in shape) raw.seed = shotSeed(story, shot, 'clip');
  if ('filenamePrefix' in shape) raw.filenamePrefix = PREFIX.clip;
  Object.assign(raw, lengthFor(template, shot.duration, fixed));
  const param = 'image' in shape ? 'image' : 'startImage';
  const inputs: TaskInput[] = [{ role: 'start_image', param, kind: 'image', from: { task: keyframe.key } }];
  return task(shot, 'clip', template, raw, inputs, [keyframe.key]);
}

function interpolationTask(shot: Shot, stage: ResolvedStage, clip: StoryTask): StoryTask {
  const template = templateById(stage.template);
  const raw: Record<string, unknown> = { ...stage.params, filenamePrefix: PREFIX.interpolation };
  if (clip.output.frames !== undefined) raw.frames = clip.output.frames;
  if (clip.output.fps !== undefined) raw.fps = clip.output.fps;
  const inputs: TaskInput[] = [{ role: 'video', param: 'video', kind: 'video', from: { task: clip.key } }];
  return task(shot, 'interpolation', template, raw, inputs, [clip.key]);
}

/**
 * The clip length for a shot: `duration` where the template takes seconds (Wan: 5 s → 81
 * frames at 16 fps), else a 4n+1 `length`, else `frames` at the template's `fps`. A length
 * the story fixes in `render.clip.params` wins.
 */
export function lengthFor(template: AnyTemplate, seconds: number, fixed: Record<string, unknown>): Record<string, unknown> {
  if ('duration' in fixed || 'length' in fixed || 'frames' in fixed) return {};
  const shape = shapeOf(template);
  const defaults = template.parse({}) as Record<string, unknown>;
  const fps = typeof fixed.fps === 'number' ? fixed.fps : typeof defaults.fps === 'number' ? defaults.fps : undefined;
  if ('duration' in shape) return { duration: seconds };
  if ('length' in shape && fps !== undefined) return { length: framesFor(seconds, fps) };
  if ('frames' in shape && fps !== undefined) return { frames: Math.max(1, Math.round(seconds * fps)) };
  return {};
}

function task(shot: Shot, stage: TaskStage, template: AnyTemplate, raw: Record<string, unknown>, inputs: TaskInput[], dependsOn: string[]): StoryTask {
  const params = template.parse(raw) as Record<string, unknown>;
  return {
    key: `${shot.id}/${stage}`,
    shotId: shot.id,
    stage,
    role: STAGE_ROLE[stage],
    templateId: template.id,
    templateVersion: template.version,
    params,
    inputs,
    dependsOn,
    output: template.output(params),
    label: `${shot.id} ${stage}`,
  };
}

/** The first reference image of the first character in the shot that has one. */
function leadReference(story: Story, shot: Shot, storyDir: string): { character: string; path: string } | undefined {
  for (const id of shot.characters) {
    const character = story.characters.find((c) => c.id === id);
    const first = character?.references?.[0];
    if (character && first) return { character: character.id, path: isAbsolute(first) ? first : resolve(storyDir, first) };
  }
  return undefined;
}

function shapeOf(template: AnyTemplate): Record<string, unknown> {
  return (template.params as { shape?: Record<string, unknown> }).shape ?? (template.params as { _def?: { schema?: { shape?: Record<string, unknown> } } })._def?.schema?.shape ?? {};
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}
