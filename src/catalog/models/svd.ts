import { STABILITY_NC } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

const SVD_LICENCE = { ...STABILITY_NC, name: 'Stable Video Diffusion Non-Commercial Community License', url: 'https://huggingface.co/stabilityai/stable-video-diffusion-img2vid-xt/blob/main/LICENSE.md' };

export const svdModels: CatalogModel[] = [
  {
    id: 'svd', family: 'svd', role: 'checkpoint', parameters: '1.5B', name: 'Stable Video Diffusion img2vid (14 frames)', description: 'Image-to-video checkpoint (ImageOnlyCheckpointLoader + SVD_img2vid_Conditioning), 1024×576.', licence: SVD_LICENCE,
    variants: [{ precision: 'fp16', file: 'svd.safetensors', folder: 'checkpoints', sizeBytes: gb(9.56), vramBytes: runVram(gb(9.56), 4), url: hf('stabilityai/stable-video-diffusion-img2vid', 'svd.safetensors') }],
  },
  {
    id: 'svd-xt', family: 'svd', role: 'checkpoint', parameters: '1.5B', name: 'Stable Video Diffusion img2vid-xt (25 frames)', description: 'SVD fine-tuned for 25 frames.', licence: SVD_LICENCE,
    variants: [{ precision: 'fp16', file: 'svd_xt.safetensors', folder: 'checkpoints', sizeBytes: gb(9.56), vramBytes: runVram(gb(9.56), 5), url: hf('stabilityai/stable-video-diffusion-img2vid-xt', 'svd_xt.safetensors') }],
  },
];
