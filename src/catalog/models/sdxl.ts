import { OPENRAIL_PP, STABILITY_NC } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

export const sdxlModels: CatalogModel[] = [
  {
    id: 'sdxl-base', family: 'sdxl', role: 'checkpoint', parameters: '3.5B', name: 'SDXL 1.0 base', description: 'SDXL base checkpoint, 1024², 20–25 steps, cfg 7–8.', licence: OPENRAIL_PP,
    variants: [{ precision: 'fp16', file: 'sd_xl_base_1.0.safetensors', folder: 'checkpoints', sizeBytes: gb(6.94), vramBytes: runVram(gb(6.94), 3), url: hf('stabilityai/stable-diffusion-xl-base-1.0', 'sd_xl_base_1.0.safetensors') }],
  },
  {
    id: 'sdxl-refiner', family: 'sdxl', role: 'checkpoint', parameters: '2.3B', name: 'SDXL 1.0 refiner', description: 'Refiner for the last steps of a base+refiner split.',
    licence: { ...OPENRAIL_PP, url: 'https://huggingface.co/stabilityai/stable-diffusion-xl-refiner-1.0/blob/main/LICENSE.md' },
    variants: [{ precision: 'fp16', file: 'sd_xl_refiner_1.0.safetensors', folder: 'checkpoints', sizeBytes: gb(6.08), vramBytes: runVram(gb(6.08), 3), url: hf('stabilityai/stable-diffusion-xl-refiner-1.0', 'sd_xl_refiner_1.0.safetensors') }],
  },
  {
    id: 'sdxl-turbo', family: 'sdxl-turbo', role: 'checkpoint', parameters: '3.5B', name: 'SDXL-Turbo', description: 'Adversarially distilled SDXL: 1–4 steps, cfg 1, 512².', licence: STABILITY_NC,
    variants: [
      { precision: 'fp32', file: 'sd_xl_turbo_1.0.safetensors', folder: 'checkpoints', sizeBytes: gb(13.9), vramBytes: runVram(gb(13.9), 3), url: hf('stabilityai/sdxl-turbo', 'sd_xl_turbo_1.0.safetensors') },
      { precision: 'fp16', file: 'sd_xl_turbo_1.0_fp16.safetensors', folder: 'checkpoints', sizeBytes: gb(6.94), vramBytes: runVram(gb(6.94), 3), url: hf('stabilityai/sdxl-turbo', 'sd_xl_turbo_1.0_fp16.safetensors') },
    ],
  },
];
