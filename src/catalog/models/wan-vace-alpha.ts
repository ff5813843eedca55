import { APACHE_2 } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// Files from Comfy-Org/Wan_2.1_ComfyUI_repackaged. VACE 14B fp16 "~32GB" (docs); the template
// loads it with weight_dtype fp8_e4m3fn_fast, which halves the resident weights.
const W21 = 'Comfy-Org/Wan_2.1_ComfyUI_repackaged';
const KIJAI = 'Kijai/WanVideo_comfy';
const LIC = { ...APACHE_2, url: 'https://huggingface.co/Wan-AI/Wan2.1-VACE-14B/blob/main/LICENSE.txt' };

export const wanVaceAlphaModels: CatalogModel[] = [
  {
    id: 'wan21-vace-14b', family: 'wan-vace', role: 'diffusion_model', parameters: '14B', name: 'Wan 2.1 VACE 14B',
    description: 'All-in-one video editing (masked inpainting, reference-to-video, control video); 480p and 720p. Run the fp16 file with weight_dtype fp8_e4m3fn_fast on 24 GB.',
    licence: LIC,
    variants: [{ precision: 'fp16', file: 'wan2.1_vace_14B_fp16.safetensors', folder: 'diffusion_models', sizeBytes: gb(32.0), sizeEstimated: true, vramBytes: runVram(gb(32.0), 6), url: hf(W21, 'split_files/diffusion_models/wan2.1_vace_14B_fp16.safetensors'), notes: 'with weight_dtype fp8_e4m3fn_fast it needs about half the weight memory' }],
  },
  {
    id: 'wan21-vace-1.3b', family: 'wan-vace', role: 'diffusion_model', parameters: '1.3B', name: 'Wan 2.1 VACE 1.3B',
    description: 'Small VACE model, 480p only.', licence: LIC,
    variants: [{ precision: 'fp16', file: 'wan2.1_vace_1.3B_fp16.safetensors', folder: 'diffusion_models', sizeBytes: gb(7.0), sizeEstimated: true, vramBytes: runVram(gb(7.0), 3), url: hf(W21, 'split_files/diffusion_models/wan2.1_vace_1.3B_fp16.safetensors') }],
  },
  {
    id: 'wan21-causvid-14b-lora', family: 'wan-vace', role: 'lora', name: 'Wan 2.1 CausVid 14B LoRA (rank 32)',
    description: 'Few-step LoRA used by the VACE template at strength 0.3 (steps 2–4, cfg 1).', licence: APACHE_2,
    variants: [{ precision: 'bf16', file: 'Wan21_CausVid_14B_T2V_lora_rank32.safetensors', folder: 'loras', sizeBytes: gb(0.32), sizeEstimated: true, vramBytes: gb(0.32), url: hf(KIJAI, 'Wan21_CausVid_14B_T2V_lora_rank32.safetensors') }],
  },
  {
    id: 'wan21-t2v-14b', family: 'wan-alpha', role: 'diffusion_model', parameters: '14B', name: 'Wan 2.1 T2V 14B',
    description: 'Base model of the Wan Alpha (transparent video) template.', licence: LIC,
    variants: [
      { precision: 'bf16', file: 'wan2.1_t2v_14B_bf16.safetensors', folder: 'diffusion_models', sizeBytes: gb(28.6), sizeEstimated: true, vramBytes: runVram(gb(28.6), 5), url: hf(W21, 'split_files/diffusion_models/wan2.1_t2v_14B_bf16.safetensors') },
      { precision: 'fp8_scaled', file: 'wan2.1_t2v_14B_fp8_scaled.safetensors', folder: 'diffusion_models', sizeBytes: gb(14.3), sizeEstimated: true, vramBytes: runVram(gb(14.3), 5), url: hf(W21, 'split_files/diffusion_models/wan2.1_t2v_14B_fp8_scaled.safetensors') },
    ],
  },
  {
    id: 'wan-alpha-rgba-lora', family: 'wan-alpha', role: 'lora', name: 'Wan Alpha RGBA LoRA',
    description: 'Makes Wan 2.1 T2V 14B generate video with an alpha channel; decode with the two Wan Alpha VAEs. Older template versions call it epoch-13-1500_changed.safetensors.',
    licence: { ...APACHE_2, notes: 'Wan-Alpha (WeChatCV) states Apache-2.0 upstream; verify for the repackaged file.' },
    variants: [{ precision: 'bf16', file: 'wan_alpha_2.1_rgba_lora.safetensors', folder: 'loras', sizeBytes: gb(0.6), sizeEstimated: true, vramBytes: gb(0.6), url: hf(W21, 'split_files/loras/wan_alpha_2.1_rgba_lora.safetensors') }],
  },
  {
    id: 'wan-alpha-vae-rgb', family: 'wan-alpha', role: 'vae', name: 'Wan Alpha VAE (RGB channel)',
    description: 'Decodes the colour of a Wan Alpha latent.', licence: APACHE_2,
    variants: [{ precision: 'bf16', file: 'wan_alpha_2.1_vae_rgb_channel.safetensors', folder: 'vae', sizeBytes: gb(0.254), vramBytes: gb(2.5), url: hf(W21, 'split_files/vae/wan_alpha_2.1_vae_rgb_channel.safetensors') }],
  },
  {
    id: 'wan-alpha-vae-alpha', family: 'wan-alpha', role: 'vae', name: 'Wan Alpha VAE (alpha channel)',
    description: 'Decodes the alpha of a Wan Alpha latent (red channel → mask, inverted).', licence: APACHE_2,
    variants: [{ precision: 'bf16', file: 'wan_alpha_2.1_vae_alpha_channel.safetensors', folder: 'vae', sizeBytes: gb(0.254), vramBytes: gb(2.5), url: hf(W21, 'split_files/vae/wan_alpha_2.1_vae_alpha_channel.safetensors') }],
  },
  {
    id: 'wan21-lightx2v-t2v-14b-lora', family: 'wan-alpha', role: 'lora', name: 'lightx2v T2V 14B CFG/step distill LoRA (rank 64)',
    description: 'Optional speed LoRA for Wan 2.1 T2V 14B (4 steps, cfg 1).', licence: APACHE_2,
    variants: [{ precision: 'bf16', file: 'lightx2v_T2V_14B_cfg_step_distill_v2_lora_rank64_bf16.safetensors', folder: 'loras', sizeBytes: gb(0.74), sizeEstimated: true, vramBytes: gb(0.74), url: hf(KIJAI, 'Lightx2v/lightx2v_T2V_14B_cfg_step_distill_v2_lora_rank64_bf16.safetensors') }],
  },
];
