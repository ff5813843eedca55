import type { StyleId } from './vocabulary.js';

/** Prompt fragments a style adds to every shot: `positive` is appended, `negative` avoided. */
export interface StylePreset {
  id: StyleId;
  description: string;
  positive: string;
  negative: string;
}

export const STYLE_PRESETS: Record<StyleId, StylePreset> = {
  cinematic: {
    id: 'cinematic',
    description: 'live-action film look',
    positive: 'cinematic film still, dramatic lighting, shallow depth of field, 35mm film grain, color graded',
    negative: 'cartoon, illustration, text, watermark, lowres, blurry',
  },
  anime: {
    id: 'anime',
    description: 'Japanese animation',
    positive: 'anime key visual, cel shading, clean line art, vibrant colors, detailed background',
    negative: 'photo, realistic, 3d render, text, watermark, lowres',
  },
  watercolor: {
    id: 'watercolor',
    description: 'soft painted illustration',
    positive: 'watercolor painting, soft washes, paper texture, loose brush strokes, muted palette',
    negative: 'photo, sharp digital render, text, watermark',
  },
  noir: {
    id: 'noir',
    description: 'black-and-white crime film',
    positive: 'film noir, black and white, high contrast, hard shadows, venetian blind light, 1940s',
    negative: 'color, saturated, cartoon, text, watermark',
  },
  storyboard: {
    id: 'storyboard',
    description: 'pencil storyboard frames for previsualisation',
    positive: 'storyboard sketch, pencil drawing, rough grayscale shading, clear staging',
    negative: 'photo, color, detailed render, text, watermark',
  },
  photoreal: {
    id: 'photoreal',
    description: 'natural photography',
    positive: 'photograph, natural light, realistic skin texture, 50mm lens, high detail',
    negative: 'illustration, cartoon, painting, text, watermark, deformed',
  },
  comic: {
    id: 'comic',
    description: 'western comic book panels',
    positive: 'comic book art, bold ink outlines, halftone shading, flat colors',
    negative: 'photo, realistic, blurry, text bubbles, watermark',
  },
  'pixel-art': {
    id: 'pixel-art',
    description: 'retro game pixel art',
    positive: 'pixel art, 16-bit, limited palette, crisp pixels',
    negative: 'photo, smooth gradients, blurry, watermark',
  },
};
