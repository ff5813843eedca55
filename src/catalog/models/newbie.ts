import { APACHE_2 } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// Files from the NewBie template's properties.models. No VRAM figure is published; estimates are
// weights + working set, sizes from parameter counts × 2 bytes (bf16), marked estimated.
const NB = 'Comfy-Org/NewBie-image-Exp0.1_repackaged';

export const newbieModels: CatalogModel[] = [
  {
    id: 'newbie-image-exp0.1', family: 'newbie', role: 'diffusion_model', parameters: '3.5B', name: 'NewBie-image Exp0.1',
    description: 'Anime Next-DiT image model driven by XML-structured prompts inside a system-prompt wrapper; res_multistep, 20 steps, cfg 5.5, shift 6.',
    licence: { name: 'NewBie-image licence (see repository)', url: 'https://huggingface.co/NewBie-AI/NewBie-image-Exp0.1', commercialUse: false, notes: 'Licence terms not verified here; treated as non-commercial until checked. Its Jina CLIP v2 encoder is CC BY-NC 4.0, which alone rules out commercial use of the pipeline.' },
    variants: [{ precision: 'bf16', file: 'NewBie-Image-Exp0.1-bf16.safetensors', folder: 'diffusion_models', sizeBytes: gb(7.0), sizeEstimated: true, vramBytes: runVram(gb(7.0), 3), url: hf(NB, 'split_files/diffusion_models/NewBie-Image-Exp0.1-bf16.safetensors') }],
  },
  {
    id: 'gemma-3-4b-it', family: 'newbie', role: 'text_encoder', parameters: '4B', name: 'Gemma 3 4B IT text encoder',
    description: 'First NewBie encoder (DualCLIPLoader type "newbie").',
    licence: { name: 'Gemma Terms of Use', url: 'https://ai.google.dev/gemma/terms', commercialUse: true, notes: 'Commercial use allowed subject to the Gemma prohibited-use policy.' },
    variants: [{ precision: 'bf16', file: 'gemma_3_4b_it_bf16.safetensors', folder: 'text_encoders', sizeBytes: gb(8.6), sizeEstimated: true, vramBytes: runVram(gb(8.6), 1), url: hf(NB, 'split_files/text_encoders/gemma_3_4b_it_bf16.safetensors') }],
  },
  {
    id: 'jina-clip-v2', family: 'newbie', role: 'text_encoder', parameters: '0.9B', name: 'Jina CLIP v2 text encoder',
    description: 'Second NewBie encoder.',
    licence: { name: 'CC BY-NC 4.0', url: 'https://creativecommons.org/licenses/by-nc/4.0/', commercialUse: false, notes: 'jinaai/jina-clip-v2 is non-commercial; commercial use needs a licence from Jina AI.' },
    variants: [{ precision: 'bf16', file: 'jina_clip_v2_bf16.safetensors', folder: 'text_encoders', sizeBytes: gb(1.73), sizeEstimated: true, vramBytes: runVram(gb(1.73), 0.5), url: hf(NB, 'split_files/text_encoders/jina_clip_v2_bf16.safetensors') }],
  },
  {
    id: 'flux-ae', family: 'flux', role: 'vae', name: 'FLUX VAE (ae)', description: 'FLUX.1 autoencoder; the NewBie template loads it from Comfy-Org/z_image_turbo.',
    licence: { ...APACHE_2, notes: 'The FLUX.1 [schnell] autoencoder is Apache-2.0.' },
    variants: [{ precision: 'bf16', file: 'ae.safetensors', folder: 'vae', sizeBytes: gb(0.335), vramBytes: gb(2), url: hf('Comfy-Org/z_image_turbo', 'split_files/vae/ae.safetensors') }],
  },
];
