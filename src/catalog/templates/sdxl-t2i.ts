import { checkpointImageTemplate, SDXL } from './checkpoint-image.js';

export const sdxlT2i = checkpointImageTemplate({
  ...SDXL,
  id: 'sdxl-t2i',
  title: 'SDXL text to image',
  description: 'SDXL 1.0 text to image at 1024²; the refiner variant splits 25 steps base 20 / refiner 5.',
  img2img: false,
  refiner: 'sd_xl_refiner_1.0.safetensors',
});
