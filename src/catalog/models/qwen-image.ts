import { APACHE_2 } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// Sizes from the docs (qwen_image bf16 40.9 GB, fp8 20.4 GB; text encoder fp8 9.38 GB, bf16 16.6 GB).
// VRAM: RTX4090D 24 GB at 86% with fp8 (ComfyUI offloads the text encoder) → weights + ~3 GB.
const QI = 'Comfy-Org/Qwen-Image_ComfyUI';
const QE = 'Comfy-Org/Qwen-Image-Edit_ComfyUI';
const QL = 'Comfy-Org/Qwen-Image-Layered_ComfyUI';
const LIGHTNING = 'lightx2v/Qwen-Image-Lightning';
const LIC = { ...APACHE_2, url: 'https://huggingface.co/Qwen/Qwen-Image/blob/main/LICENSE' };

function dit(id: string, name: string, repo: string, stem: string, description: string, fp8 = 'fp8_e4m3fn'): CatalogModel {
  return {
    id, family: 'qwen-image', role: 'diffusion_model', parameters: '20B', name, description, licence: LIC,
    variants: [
      { precision: 'bf16', file: `${stem}_bf16.safetensors`, folder: 'diffusion_models', sizeBytes: gb(40.9), vramBytes: runVram(gb(40.9), 3), url: hf(repo, `split_files/diffusion_models/${stem}_bf16.safetensors`) },
      { precision: fp8 === 'fp8mixed' ? 'fp8_mixed' : 'fp8_e4m3fn', file: `${stem}_${fp8}.safetensors`, folder: 'diffusion_models', sizeBytes: gb(20.4), sizeEstimated: fp8 === 'fp8mixed', vramBytes: runVram(gb(20.4), 3), url: hf(repo, `split_files/diffusion_models/${stem}_${fp8}.safetensors`) },
    ],
  };
}

function lora(id: string, name: string, file: string, url: string, description: string, size: number): CatalogModel {
  return {
    id, family: 'qwen-image', role: 'lora', name, description, licence: LIC,
    variants: [{ precision: 'bf16', file, folder: 'loras', sizeBytes: gb(size), sizeEstimated: true, vramBytes: gb(size), url }],
  };
}

export const qwenImageModels: CatalogModel[] = [
  dit('qwen-image', 'Qwen-Image', QI, 'qwen_image', 'Text-to-image MMDiT; ModelSamplingAuraFlow shift 3.1–3.5, 20 steps, cfg 2.5–4, 1328².'),
  dit('qwen-image-edit', 'Qwen-Image-Edit', QE, 'qwen_image_edit', 'Single-image editing with TextEncodeQwenImageEdit.'),
  dit('qwen-image-edit-2509', 'Qwen-Image-Edit 2509', QE, 'qwen_image_edit_2509', 'Multi-image editing (up to 3) with TextEncodeQwenImageEditPlus.'),
  dit('qwen-image-layered', 'Qwen-Image-Layered', QL, 'qwen_image_layered', 'Decomposes an image into RGBA layers (EmptyQwenImageLayeredLatentImage, LatentCutToBatch).', 'fp8mixed'),
  {
    id: 'qwen-image-distill', family: 'qwen-image', role: 'diffusion_model', parameters: '20B', name: 'Qwen-Image distilled (full)',
    description: 'Distilled Qwen-Image: 15 steps, cfg 1; not compatible with the Lightning LoRA.', licence: LIC,
    variants: [{ precision: 'fp8_e4m3fn', file: 'qwen_image_distill_full_fp8_e4m3fn.safetensors', folder: 'diffusion_models', sizeBytes: gb(20.4), sizeEstimated: true, vramBytes: runVram(gb(20.4), 3), url: hf(QI, 'non_official/diffusion_models/qwen_image_distill_full_fp8_e4m3fn.safetensors') }],
  },
  {
    id: 'qwen-2.5-vl-7b', family: 'qwen-image', role: 'text_encoder', parameters: '7B', name: 'Qwen2.5-VL 7B text encoder',
    description: 'Text encoder of Qwen-Image (CLIPLoader type "qwen_image") and first encoder of HunyuanVideo 1.5.', licence: { ...APACHE_2, url: 'https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct/blob/main/LICENSE' },
    variants: [
      { precision: 'bf16', file: 'qwen_2.5_vl_7b.safetensors', folder: 'text_encoders', sizeBytes: gb(16.6), vramBytes: runVram(gb(16.6), 1), url: hf(QI, 'split_files/text_encoders/qwen_2.5_vl_7b.safetensors') },
      { precision: 'fp8_scaled', file: 'qwen_2.5_vl_7b_fp8_scaled.safetensors', folder: 'text_encoders', sizeBytes: gb(9.38), vramBytes: runVram(gb(9.38), 1), url: hf(QI, 'split_files/text_encoders/qwen_2.5_vl_7b_fp8_scaled.safetensors') },
    ],
  },
  {
    id: 'qwen-image-vae', family: 'qwen-image', role: 'vae', name: 'Qwen-Image VAE', description: 'VAE of Qwen-Image / Edit / Edit 2509.', licence: LIC,
    variants: [{ precision: 'bf16', file: 'qwen_image_vae.safetensors', folder: 'vae', sizeBytes: gb(0.254), vramBytes: gb(2.5), url: hf(QI, 'split_files/vae/qwen_image_vae.safetensors') }],
  },
  {
    id: 'qwen-image-layered-vae', family: 'qwen-image', role: 'vae', name: 'Qwen-Image-Layered VAE', description: 'RGBA-decoding VAE of Qwen-Image-Layered.', licence: LIC,
    variants: [{ precision: 'bf16', file: 'qwen_image_layered_vae.safetensors', folder: 'vae', sizeBytes: gb(0.254), vramBytes: gb(2.5), url: hf(QL, 'split_files/vae/qwen_image_layered_vae.safetensors') }],
  },
  lora('qwen-image-lightning-8steps', 'Qwen-Image Lightning 8-step LoRA', 'Qwen-Image-Lightning-8steps-V1.0.safetensors', hf(LIGHTNING, 'Qwen-Image-Lightning-8steps-V1.0.safetensors'), '8 steps, cfg 1; between UNETLoader and ModelSamplingAuraFlow.', 1.7),
  lora('qwen-image-lightning-4steps', 'Qwen-Image Lightning 4-step LoRA', 'Qwen-Image-Lightning-4steps-V1.0.safetensors', hf(LIGHTNING, 'Qwen-Image-Lightning-4steps-V1.0.safetensors'), '4 steps, cfg 1 (also used with Qwen-Image-Edit).', 1.7),
  lora('qwen-image-edit-2509-lightning-4steps', 'Qwen-Image-Edit 2509 Lightning 4-step LoRA', 'Qwen-Image-Edit-2509-Lightning-4steps-V1.0-bf16.safetensors', hf(LIGHTNING, 'Qwen-Image-Edit-2509/Qwen-Image-Edit-2509-Lightning-4steps-V1.0-bf16.safetensors'), '4 steps, cfg 1 for Edit 2509.', 0.85),
  lora('qwen-image-edit-2509-relight', 'Qwen-Image-Edit 2509 Relight LoRA', 'Qwen-Image-Edit-2509-Relight.safetensors', hf(QE, 'split_files/loras/Qwen-Image-Edit-2509-Relight.safetensors'), 'Relighting; prompt must start with 重新照明. Upstream dx8152/Qwen-Image-Edit-2509-Relight.', 0.3),
];
