import { BSD_3, CC_BY_NC_SA_4 } from './licences.js';
import { MB, type CatalogModel } from './model.js';

export const upscalerModels: CatalogModel[] = [
  {
    id: '4x-ultrasharp', family: 'upscaler', role: 'upscaler', parameters: '16.7M', name: '4x-UltraSharp (ESRGAN)', description: 'Sharp 4× image upscaler (UpscaleModelLoader + ImageUpscaleWithModel).',
    licence: { ...CC_BY_NC_SA_4, notes: 'Kim2091 released 4x-UltraSharp under CC BY-NC-SA 4.0: no commercial use.' },
    variants: [{ precision: 'fp32', file: '4x-UltraSharp.pth', folder: 'upscale_models', sizeBytes: Math.round(67 * MB), sizeEstimated: true, vramBytes: Math.round(1500 * MB), url: 'https://huggingface.co/Kim2091/UltraSharp/resolve/main/4x-UltraSharp.pth' }],
  },
  {
    id: 'realesrgan-x4plus', family: 'upscaler', role: 'upscaler', parameters: '16.7M', name: 'Real-ESRGAN x4plus', description: 'General 4× upscaler.', licence: { ...BSD_3, url: 'https://github.com/xinntao/Real-ESRGAN/blob/master/LICENSE' },
    variants: [{ precision: 'fp32', file: 'RealESRGAN_x4plus.pth', folder: 'upscale_models', sizeBytes: Math.round(67 * MB), sizeEstimated: true, vramBytes: Math.round(1500 * MB), url: 'https://github.com/xinntao/Real-ESRGAN/releases/download/v0.1.0/RealESRGAN_x4plus.pth' }],
  },
];
