import { templateById } from '../../catalog/templates/index.js';
import { frameSize, QUALITY_PRESETS } from './quality-presets.js';
import type { Story } from './schema.js';
import { RENDER_STAGES, type RenderStage } from './vocabulary.js';

export interface ResolvedStage {
  template: string;
  /** Preset values (size, steps) under the story's own overrides; per-shot values come later. */
  params: Record<string, unknown>;
}

/** The frame size of a story: `resolution` when set, else its aspect at the quality preset's long edge. */
export function storyFrameSize(story: Story): { width: number; height: number } {
  return story.resolution ?? frameSize(story.aspect, QUALITY_PRESETS[story.quality].longEdge);
}

/**
 * The template and parameters of each stage the story runs: the stage's `render` entry, or the
 * quality preset's template; preset size and steps apply where the template has those parameters.
 * Stages with neither (interpolation and upscale below `final`) are left out.
 */
export function resolveRenderSettings(story: Story): Partial<Record<RenderStage, ResolvedStage>> {
  const preset = QUALITY_PRESETS[story.quality];
  const size = storyFrameSize(story);
  const out: Partial<Record<RenderStage, ResolvedStage>> = {};
  for (const stage of RENDER_STAGES) {
    const chosen = story.render[stage]?.template ?? preset.templates[stage];
    if (!chosen) continue;
    const template = templateById(chosen);
    const shape = (template.params as { shape?: Record<string, unknown> }).shape ?? {};
    const defaults = template.parse({}) as Record<string, unknown>;
    const params: Record<string, unknown> = {};
    // Interpolation and upscaling take the clip's size; only generating stages are sized here.
    if ((stage === 'keyframe' || stage === 'clip') && 'width' in shape && 'height' in shape) Object.assign(params, size);
    if ('steps' in shape && typeof defaults.steps === 'number') params.steps = Math.max(1, Math.round(defaults.steps * preset.stepsFactor));
    out[stage] = { template: chosen, params: { ...params, ...(story.render[stage]?.params ?? {}) } };
  }
  return out;
}
