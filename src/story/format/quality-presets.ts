import type { Aspect, QualityId, RenderStage } from './vocabulary.js';

/**
 * What a quality preset means: the long edge of frames, a factor on each template's default
 * sampling steps, and the templates a stage uses when `render` does not name one.
 */
export interface QualityPreset {
  id: QualityId;
  longEdge: number;
  stepsFactor: number;
  templates: Partial<Record<RenderStage, string>> & { keyframe: string; clip: string };
}

export const QUALITY_PRESETS: Record<QualityId, QualityPreset> = {
  draft: { id: 'draft', longEdge: 512, stepsFactor: 0.5, templates: { keyframe: 'sdxl-turbo-t2i', clip: 'svd-i2v' } },
  standard: { id: 'standard', longEdge: 1024, stepsFactor: 1, templates: { keyframe: 'sdxl-t2i', clip: 'wan22-ti2v-5b' } },
  final: {
    id: 'final',
    longEdge: 1280,
    stepsFactor: 1,
    templates: { keyframe: 'qwen-image-t2i', clip: 'wan22-i2v-14b', interpolation: 'rife-interpolate', upscale: 'upscale' },
  },
};

const ASPECT_RATIO: Record<Aspect, number> = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1, '4:3': 4 / 3, '2.39:1': 2.39 };

/** Frame size for an aspect at a long edge, both sides multiples of 32 (what Wan and SD latents need). */
export function frameSize(aspect: Aspect, longEdge: number): { width: number; height: number } {
  const ratio = ASPECT_RATIO[aspect];
  const round = (n: number) => Math.max(32, Math.round(n / 32) * 32);
  return ratio >= 1 ? { width: round(longEdge), height: round(longEdge / ratio) } : { width: round(longEdge * ratio), height: round(longEdge) };
}
