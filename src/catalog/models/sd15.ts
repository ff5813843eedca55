import { OPENRAIL_M } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// "About 4 GB, runs on 6 GB VRAM" (docs).
export const sd15Models: CatalogModel[] = [
  {
    id: 'sd15', family: 'sd15', role: 'checkpoint', parameters: '0.98B', name: 'Stable Diffusion 1.5 (pruned, EMA only)',
    description: 'SD1.5 checkpoint (MODEL, CLIP, VAE in one file); 512², 20 steps, cfg 7–8.', licence: OPENRAIL_M,
    variants: [
      { precision: 'fp32', file: 'v1-5-pruned-emaonly.safetensors', folder: 'checkpoints', sizeBytes: gb(4.27), vramBytes: runVram(gb(4.27), 2), url: hf('Comfy-Org/stable-diffusion-v1-5-archive', 'v1-5-pruned-emaonly.safetensors') },
      { precision: 'fp16', file: 'v1-5-pruned-emaonly-fp16.safetensors', folder: 'checkpoints', sizeBytes: gb(2.13), vramBytes: runVram(gb(2.13), 2), url: hf('Comfy-Org/stable-diffusion-v1-5-archive', 'v1-5-pruned-emaonly-fp16.safetensors') },
    ],
  },
];
