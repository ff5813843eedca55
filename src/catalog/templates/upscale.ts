import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { saveImage } from './fragments.js';
import { inputFile } from './params.js';

/** Model upscaling of an image (ComfyUI_examples upscale_models: UpscaleModelLoader + ImageUpscaleWithModel). */
const params = z.object({
  image: inputFile('example.png'),
  model: z.string().min(1).default('RealESRGAN_x4plus.pth'),
  /** Native factor of the upscale model (4 for RealESRGAN_x4plus); 2 halves the result back. */
  scale: z.number().positive().max(8).default(4),
  /** Output scale relative to the input; below `scale` the upscaled image is resized down. */
  outputScale: z.number().positive().max(8).optional(),
  filenamePrefix: z.string().min(1).default('upscaled/ComfyUI'),
});

export const upscale = defineTemplate({
  id: 'upscale',
  version: '1.0.0',
  title: 'Image upscale (ESRGAN)',
  description: 'Upscales an image ×4 with an ESRGAN-family model (RealESRGAN_x4plus by default; any upscale_models file works).',
  family: 'upscale',
  capabilities: ['super_resolution'],
  params,
  scores: { quality: 0.6, speed: 0.95 },
  variants: [{ id: 'x2', kind: 'alternative', description: '×4 model resized to ×2', params: { outputScale: 2 } }],
  graph(p) {
    const g = new GraphBuilder();
    const image = g.node('LoadImage', { image: p.image }, { title: 'Input Image' });
    const loader = g.node('UpscaleModelLoader', { model_name: p.model }, { title: 'Load Upscale Model' });
    let upscaled = g.node('ImageUpscaleWithModel', { upscale_model: loader.out(0), image: image.out('IMAGE') }, { title: 'Upscale Image (using Model)' }).out(0);
    if (p.outputScale !== undefined && p.outputScale !== p.scale) {
      upscaled = g.node('ImageScaleBy', { image: upscaled, upscale_method: 'lanczos', scale_by: p.outputScale / p.scale }, { title: 'Resize To Output Scale' }).out(0);
    }
    saveImage(g, upscaled, p.filenamePrefix);
    return g.build();
  },
  output: () => ({ kind: 'image' }),
  cost: () => ({ steps: 1, secondsPerStepRtx4090: 0.6 }),
});
