import { checkpointImageTemplate, SD15 } from './checkpoint-image.js';

export const sd15Img2img = checkpointImageTemplate({
  ...SD15,
  id: 'sd15-img2img',
  title: 'SD 1.5 image to image',
  description: 'Re-renders an input image with Stable Diffusion 1.5 (denoise 0.75).',
  img2img: true,
});
