import { checkpointImageTemplate } from './checkpoint-image.js';

export const sd15Img2img = checkpointImageTemplate({
  id: 'sd15-img2img',
  title: 'SD 1.5 image to image',
  description: 'Re-renders an input image with Stable Diffusion 1.5 (denoise 0.75).',
  family: 'sd15',
  checkpoint: 'v1-5-pruned-emaonly-fp16.safetensors',
  size: 512,
  steps: 20,
  cfg: 8,
  sampler: 'euler',
  scheduler: 'normal',
  img2img: true,
  stepSeconds: 0.045,
  scores: { quality: 0.4, speed: 0.95 },

});
