import { z } from 'zod';
import { checkStoryReferences } from './cross-references.js';
import {
  ASPECTS,
  CAMERA_ANGLES,
  CAMERA_MOVEMENTS,
  QUALITY_IDS,
  SHOT_DURATION,
  SHOT_SIZES,
  STYLE_IDS,
} from './vocabulary.js';

/** The story.yaml format version this module reads and writes. */
export const STORY_FORMAT_VERSION = 1;

const id = (what: string, example: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, { message: `${what} ids are lower-case letters, digits and dashes, e.g. '${example}'` })
    .describe(`${what} id (lower-case, dashes), e.g. ${example}`);

const seed = z.number().int().min(0).max(2 ** 53 - 1);

export const loraSchema = z
  .strictObject({
    file: z.string().min(1).describe('LoRA file name in the worker\'s models/loras folder'),
    trigger: z.string().min(1).optional().describe('trigger word(s) the LoRA was trained on; added to prompts'),
    strength: z.number().min(-4).max(4).default(1),
  })
  .describe('a character LoRA');

export const characterSchema = z.strictObject({
  id: id('character', 'mara'),
  name: z.string().min(1),
  description: z.string().min(1).describe('what the character looks like; goes into every prompt they appear in'),
  references: z.array(z.string().min(1)).optional().describe('reference image paths, relative to story.yaml'),
  lora: loraSchema.optional(),
  seed: seed.optional().describe('seed used for shots where this character leads, for a consistent look'),
});

export const locationSchema = z.strictObject({
  id: id('location', 'lighthouse'),
  name: z.string().min(1),
  description: z.string().min(1).optional(),
});

export const cameraSchema = z
  .strictObject({
    size: z.enum(SHOT_SIZES).default('medium'),
    angle: z.enum(CAMERA_ANGLES).default('eye-level'),
    movement: z.enum(CAMERA_MOVEMENTS).default('static'),
  })
  .describe('framing, angle and movement of the shot');

export const dialogueLineSchema = z.strictObject({
  speaker: id('character', 'mara').optional().describe('character id; omit for an unattributed line'),
  text: z.string().min(1),
});

/** `cut` and `fade-to-black` as plain words; a crossfade carries its length. */
export const transitionSchema = z
  .union([
    z.enum(['cut', 'fade-to-black']),
    z.strictObject({ crossfade: z.strictObject({ seconds: z.number().positive().max(10) }) }),
  ])
  .describe('transition into the next shot: cut, fade-to-black or {crossfade: {seconds: 0.5}}');

export const shotSchema = z.strictObject({
  id: z
    .string()
    .regex(/^shot-\d{3,}$/, { message: "shot ids look like 'shot-001'" })
    .describe('unique shot id, e.g. shot-001'),
  action: z.string().min(1).describe('what happens, in plain words'),
  prompt: z.string().min(1).optional().describe('the image prompt (planners fill it in: style + characters + camera + location)'),
  camera: cameraSchema.prefault({}),
  duration: z.number().min(SHOT_DURATION.min).max(SHOT_DURATION.max).describe('seconds on screen'),
  characters: z.array(id('character', 'mara')).default([]),
  location: id('location', 'lighthouse').optional(),
  dialogue: z.array(dialogueLineSchema).optional(),
  voiceover: z.string().min(1).optional(),
  transition: transitionSchema.default('cut'),
  seed: seed.optional().describe('fixed seed for this shot (default: derived from the project seed and the shot id)'),
});

export const sceneSchema = z.strictObject({
  id: id('scene', 'scene-01'),
  title: z.string().min(1).optional(),
  location: id('location', 'lighthouse').optional().describe('default location of the scene\'s shots'),
  shots: z.array(shotSchema).min(1),
});

export const stageSettingsSchema = z.strictObject({
  template: z.string().min(1).describe('workflow template id from the catalogue, e.g. sd15-t2i'),
  params: z.record(z.string(), z.unknown()).optional().describe('overrides of the template\'s parameters'),
});

export const renderSchema = z
  .strictObject({
    keyframe: stageSettingsSchema.optional(),
    clip: stageSettingsSchema.optional(),
    interpolation: stageSettingsSchema.optional(),
    upscale: stageSettingsSchema.optional(),
  })
  .describe('template per stage; stages left out use the quality preset\'s choice');

export const resolutionSchema = z.strictObject({
  width: z.number().int().min(64).max(8192).multipleOf(8),
  height: z.number().int().min(64).max(8192).multipleOf(8),
});

/** Fields of story.yaml without the cross-reference checks (what JSON Schema can express). */
export const storyShapeSchema = z.strictObject({
  version: z.literal(STORY_FORMAT_VERSION).default(STORY_FORMAT_VERSION),
  title: z.string().min(1),
  style: z.enum(STYLE_IDS).default('cinematic'),
  aspect: z.enum(ASPECTS).default('16:9'),
  resolution: resolutionSchema.optional().describe('overrides the size the aspect and quality preset give'),
  fps: z.number().int().min(1).max(120).default(24),
  quality: z.enum(QUALITY_IDS).default('standard'),
  commercial: z.boolean().default(false).describe('true refuses models whose licence forbids commercial use'),
  seed: seed.default(0).describe('project base seed; shot seeds derive from it'),
  characters: z.array(characterSchema).default([]),
  locations: z.array(locationSchema).default([]),
  scenes: z.array(sceneSchema).min(1),
  render: renderSchema.prefault({}),
});

/** story.yaml: the fields plus cross-references (ids, templates and their capabilities). */
export const storySchema = storyShapeSchema.superRefine((story, ctx) => {
  for (const issue of checkStoryReferences(story)) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: issue.input, params: { hint: issue.hint } });
  }
});

export type Story = z.output<typeof storyShapeSchema>;
export type StoryInput = z.input<typeof storyShapeSchema>;
export type Character = z.output<typeof characterSchema>;
export type Location = z.output<typeof locationSchema>;
export type Scene = z.output<typeof sceneSchema>;
export type Shot = z.output<typeof shotSchema>;
export type Camera = z.output<typeof cameraSchema>;
export type Transition = z.output<typeof transitionSchema>;
export type StageSettings = z.output<typeof stageSettingsSchema>;
export type RenderSettings = z.output<typeof renderSchema>;
