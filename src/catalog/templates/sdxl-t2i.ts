import { checkpointImageTemplate } from './checkpoint-image.js';

export const sdxlT2i = checkpointImageTemplate({
  id: 'sdxl-t2i',
  title: 'SDXL text to image',
  description: 'SDXL 1.0 text to image at 1024²; the refiner variant splits 25 steps base 20 / refiner 5.',
  family: 'sdxl',
  checkpoint: 'sd_xl_base_1.0.safetensors',
  size: 1024,
  steps: 25,
  cfg: 8,
  sampler: 'euler',
  scheduler: 'normal',
  img2img: false,
  stepSeconds: 0.16,
  scores: { quality: 0.65, speed: 0.7 },
  refiner: 'sd_xl_refiner_1.0.safetensors',
});
