import { checkpointImageTemplate, SD15 } from './checkpoint-image.js';

export const sd15T2i = checkpointImageTemplate({
  ...SD15,
  id: 'sd15-t2i',
  title: 'SD 1.5 text to image',
  description: 'Stable Diffusion 1.5 text to image at 512² (the base for LoRA, ControlNet and IP-Adapter transforms).',
  img2img: false,
});
