import { StoryFormatError } from '../format/errors/story-format-error.js';
import { validateStory } from '../format/load.js';
import type { Story } from '../format/schema.js';
import { shotPrompt } from '../prompt/shot-prompt.js';
import type { PlanOptions } from './planner.js';

/** FNV-1a of the text, as a 31-bit seed: the same story always gets the same base seed. */
export function textSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}

/** Options that override what the planner found (title, style, …), with undefined ones ignored. */
export function projectOverrides(options: PlanOptions): Partial<Story> {
  const entries = Object.entries({
    title: options.title,
    style: options.style,
    aspect: options.aspect,
    quality: options.quality,
    fps: options.fps,
    commercial: options.commercial,
    seed: options.seed,
    render: options.render,
  }).filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as Partial<Story>;
}

/** Fills in every shot's `prompt` (keeping one a planner already wrote). */
export function withPrompts(story: Story): Story {
  return {
    ...story,
    scenes: story.scenes.map((scene) => ({
      ...scene,
      shots: scene.shots.map((shot) => ({
        ...shot,
        prompt:
          shot.prompt ??
          shotPrompt(shot, {
            style: story.style,
            characters: story.characters,
            locations: story.locations,
            ...(scene.location ? { sceneLocation: scene.location } : {}),
          }),
      })),
    })),
  };
}

/** Validates what a planner built; a failure here is a planner bug, reported with every issue. */
export function finishStory(data: unknown): Story {
  const result = validateStory(data);
  if (!result.ok) throw new StoryFormatError('STORY_INVALID', result.issues);
  return withPrompts(result.story);
}
