import { modelByFile } from '../models/index.js';

/**
 * Download sizes (decimal GB, as Hugging Face shows them) of the files the templates load,
 * from docs/../reference/workflow-templates.md. Used for load-time estimates only; the model
 * catalogue (src/catalog/models) is the authority where it knows a file.
 */
const SIZES_GB: Record<string, number> = {
  'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors': 14.3,
  'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors': 14.3,
  'wan2.2_i2v_high_noise_14B_fp16.safetensors': 28.6,
  'wan2.2_i2v_low_noise_14B_fp16.safetensors': 28.6,
  'wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors': 14.3,
  'wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors': 14.3,
  'wan2.2_t2v_high_noise_14B_fp16.safetensors': 28.6,
  'wan2.2_t2v_low_noise_14B_fp16.safetensors': 28.6,
  'wan2.2_fun_inpaint_high_noise_14B_fp8_scaled.safetensors': 14.3,
  'wan2.2_fun_inpaint_low_noise_14B_fp8_scaled.safetensors': 14.3,
  'wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors': 1.2,
  'wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors': 1.2,
  'wan2.2_t2v_lightx2v_4steps_lora_v1.1_high_noise.safetensors': 1.2,
  'wan2.2_t2v_lightx2v_4steps_lora_v1.1_low_noise.safetensors': 1.2,
  'wan_2.1_vae.safetensors': 0.254,
  'wan2.2_vae.safetensors': 1.4,
  'umt5_xxl_fp8_e4m3fn_scaled.safetensors': 6.74,
  'umt5_xxl_fp16.safetensors': 11.4,
  'wan2.2_ti2v_5B_fp16.safetensors': 10.0,
  'wan2.1_vace_14B_fp16.safetensors': 34.7,
  'wan2.1_vace_1.3B_fp16.safetensors': 7.0,
  'wan2.1_t2v_14B_fp8_scaled.safetensors': 14.3,
  'wan_alpha_2.1_vae_rgb_channel.safetensors': 0.254,
  'wan_alpha_2.1_vae_alpha_channel.safetensors': 0.254,
  'hunyuanvideo1.5_720p_t2v_fp16.safetensors': 16.65,
  'hunyuanvideo1.5_720p_i2v_fp16.safetensors': 16.65,
  'hunyuanvideo1.5_1080p_sr_distilled_fp16.safetensors': 16.65,
  'hunyuanvideo15_latent_upsampler_1080p.safetensors': 0.2,
  'hunyuanvideo15_vae_fp16.safetensors': 2.52,
  'qwen_2.5_vl_7b_fp8_scaled.safetensors': 9.38,
  'byt5_small_glyphxl_fp16.safetensors': 0.439,
  'sigclip_vision_patch14_384.safetensors': 0.86,
  'qwen_image_fp8_e4m3fn.safetensors': 20.4,
  'qwen_image_edit_fp8_e4m3fn.safetensors': 20.4,
  'qwen_image_edit_2509_fp8_e4m3fn.safetensors': 20.4,
  'qwen_image_layered_bf16.safetensors': 40.9,
  'qwen_image_vae.safetensors': 0.254,
  'qwen_image_layered_vae.safetensors': 0.254,
  'v1-5-pruned-emaonly-fp16.safetensors': 2.13,
  'sd_xl_base_1.0.safetensors': 6.94,
  'sd_xl_refiner_1.0.safetensors': 6.08,
  'sd_xl_turbo_1.0_fp16.safetensors': 6.94,
  'svd_xt.safetensors': 9.56,
};

/** Size of a model file in GB: the catalogue's figure, else this table's; 0 when neither knows it. */
export function modelSizeGb(file: string): number {
  const entry = modelByFile(file);
  if (entry) return Math.round(entry.variant.sizeBytes / 1e6) / 1000;
  return SIZES_GB[file] ?? 0;
}
