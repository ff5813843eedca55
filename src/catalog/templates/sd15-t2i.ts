import { checkpointImageTemplate } from './checkpoint-image.js';

export const sd15T2i = checkpointImageTemplate({
  id: 'sd15-t2i',
  title: 'SD 1.5 text to image',
  description: 'Stable Diffusion 1.5 text to image at 512² (the base for LoRA, ControlNet and IP-Adapter transforms).',
  family: 'sd15',
  checkpoint: 'v1-5-pruned-emaonly-fp16.safetensors',
  size: 512,
  steps: 20,
  cfg: 8,
  sampler: 'euler',
  scheduler: 'normal',
  img2img: false,
  stepSeconds: 0.045,
  scores: { quality: 0.4, speed: 0.95 },

});
