import { checkpointImageTemplate, SDXL } from './checkpoint-image.js';

export const sdxlImg2img = checkpointImageTemplate({
  ...SDXL,
  id: 'sdxl-img2img',
  title: 'SDXL image to image',
  description: 'Re-renders an input image with SDXL 1.0 (denoise 0.75).',
  img2img: true,
});
