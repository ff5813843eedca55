import { checkpointImageTemplate } from './checkpoint-image.js';

export const sdxlImg2img = checkpointImageTemplate({
  id: 'sdxl-img2img',
  title: 'SDXL image to image',
  description: 'Re-renders an input image with SDXL 1.0 (denoise 0.75).',
  family: 'sdxl',
  checkpoint: 'sd_xl_base_1.0.safetensors',
  size: 1024,
  steps: 25,
  cfg: 8,
  sampler: 'euler',
  scheduler: 'normal',
  img2img: true,
  stepSeconds: 0.16,
  scores: { quality: 0.65, speed: 0.7 },

});
