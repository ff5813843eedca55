import { HUNYUAN_COMMUNITY, MIT, APACHE_2 } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// HunyuanVideo 1.0: Comfy-Org/HunyuanVideo_repackaged (bf16 25.6 GB). 1.5: Comfy-Org/HunyuanVideo_1.5_repackaged
// (8.3B; "runs on consumer GPUs (24GB VRAM)"); sizes marked estimated are third-party figures.
const HV = 'Comfy-Org/HunyuanVideo_repackaged';
const HV15 = 'Comfy-Org/HunyuanVideo_1.5_repackaged';
const HV15_LICENCE = { ...HUNYUAN_COMMUNITY, url: 'https://huggingface.co/tencent/HunyuanVideo-1.5/blob/main/LICENSE' };

function hv10(id: string, name: string, file: string, description: string): CatalogModel {
  return {
    id, family: 'hunyuan-video', role: 'diffusion_model', parameters: '13B', name, description, licence: HUNYUAN_COMMUNITY,
    variants: [{ precision: 'bf16', file, folder: 'diffusion_models', sizeBytes: gb(25.6), vramBytes: runVram(gb(25.6), 6), url: hf(HV, `split_files/diffusion_models/${file}`), notes: 'UNETLoader weight_dtype fp8_e4m3fn halves the resident weights when memory is short' }],
  };
}

function hv15(id: string, name: string, file: string, description: string, size = 16.65): CatalogModel {
  return {
    id, family: 'hunyuan-video-15', role: 'diffusion_model', parameters: '8.3B', name, description, licence: HV15_LICENCE,
    variants: [{ precision: 'fp16', file, folder: 'diffusion_models', sizeBytes: gb(size), sizeEstimated: true, vramBytes: runVram(gb(size), 6), url: hf(HV15, `split_files/diffusion_models/${file}`) }],
  };
}

export const hunyuanModels: CatalogModel[] = [
  hv10('hunyuan-video-t2v-720p', 'HunyuanVideo 1.0 T2V 720p', 'hunyuan_video_t2v_720p_bf16.safetensors', 'Text-to-video with embedded guidance (FluxGuidance 6, BasicGuider, no negative).'),
  hv10('hunyuan-video-i2v-720p', 'HunyuanVideo 1.0 I2V 720p (v1 concat)', 'hunyuan_video_image_to_video_720p_bf16.safetensors', 'Image-to-video, guidance_type "v1 (concat)".'),
  hv10('hunyuan-video-i2v-v2-720p', 'HunyuanVideo 1.0 I2V 720p (v2 replace)', 'hunyuan_video_v2_replace_image_to_video_720p_bf16.safetensors', 'Image-to-video, guidance_type "v2 (replace)".'),
  {
    id: 'hunyuan-video-vae', family: 'hunyuan-video', role: 'vae', name: 'HunyuanVideo 1.0 VAE', description: 'Use VAEDecodeTiled.', licence: HUNYUAN_COMMUNITY,
    variants: [{ precision: 'bf16', file: 'hunyuan_video_vae_bf16.safetensors', folder: 'vae', sizeBytes: gb(0.493), vramBytes: gb(4), url: hf(HV, 'split_files/vae/hunyuan_video_vae_bf16.safetensors') }],
  },
  {
    id: 'clip-l', family: 'hunyuan-video', role: 'text_encoder', parameters: '123M', name: 'CLIP-L text encoder',
    description: 'First encoder of the HunyuanVideo 1.0 DualCLIPLoader pair (type "hunyuan_video").', licence: MIT,
    variants: [{ precision: 'fp16', file: 'clip_l.safetensors', folder: 'text_encoders', sizeBytes: gb(0.246), vramBytes: gb(0.5), url: hf(HV, 'split_files/text_encoders/clip_l.safetensors') }],
  },
  {
    id: 'llava-llama3', family: 'hunyuan-video', role: 'text_encoder', parameters: '8B', name: 'LLaVA-LLaMA-3 text encoder',
    description: 'Second encoder of the HunyuanVideo 1.0 pair.', licence: { name: 'Meta Llama 3 Community License', url: 'https://www.llama.com/llama3/license/', commercialUse: true, notes: 'Commercial use allowed below 700M monthly active users; acceptable-use policy applies.' },
    variants: [{ precision: 'fp8_scaled', file: 'llava_llama3_fp8_scaled.safetensors', folder: 'text_encoders', sizeBytes: gb(9.09), sizeEstimated: true, vramBytes: runVram(gb(9.09), 1), url: hf(HV, 'split_files/text_encoders/llava_llama3_fp8_scaled.safetensors') }],
  },
  {
    id: 'llava-llama3-vision', family: 'hunyuan-video', role: 'clip_vision', name: 'LLaVA-LLaMA-3 vision tower',
    description: 'CLIPVisionLoader file for HunyuanVideo 1.0 I2V.', licence: { name: 'Meta Llama 3 Community License', url: 'https://www.llama.com/llama3/license/', commercialUse: true, notes: 'See llava-llama3.' },
    variants: [{ precision: 'fp16', file: 'llava_llama3_vision.safetensors', folder: 'clip_vision', sizeBytes: gb(0.65), sizeEstimated: true, vramBytes: gb(1), url: hf(HV, 'split_files/clip_vision/llava_llama3_vision.safetensors') }],
  },
  hv15('hunyuan-video-15-720p-t2v', 'HunyuanVideo 1.5 720p T2V', 'hunyuanvideo1.5_720p_t2v_fp16.safetensors', 'Text-to-video, real CFG (6) with a negative prompt, shift 7; latent ÷16, 32 channels.'),
  hv15('hunyuan-video-15-720p-i2v', 'HunyuanVideo 1.5 720p I2V', 'hunyuanvideo1.5_720p_i2v_fp16.safetensors', 'Image-to-video via HunyuanVideo15ImageToVideo + SigCLIP vision.'),
  {
    id: 'hunyuan-video-15-1080p-sr-distilled', family: 'hunyuan-video-15', role: 'diffusion_model', parameters: '8.3B', name: 'HunyuanVideo 1.5 1080p SR (distilled)',
    description: 'Super-resolution diffusion model for the second stage (cfg ≈1, few steps).', licence: HV15_LICENCE,
    variants: [
      { precision: 'fp16', file: 'hunyuanvideo1.5_1080p_sr_distilled_fp16.safetensors', folder: 'diffusion_models', sizeBytes: gb(16.65), sizeEstimated: true, vramBytes: runVram(gb(16.65), 8), url: hf(HV15, 'split_files/diffusion_models/hunyuanvideo1.5_1080p_sr_distilled_fp16.safetensors') },
      { precision: 'fp8_scaled', file: 'hunyuanvideo1.5_1080p_sr_distilled_fp8_scaled.safetensors', folder: 'diffusion_models', sizeBytes: gb(8.34), sizeEstimated: true, vramBytes: runVram(gb(8.34), 8), url: hf(HV15, 'split_files/diffusion_models/hunyuanvideo1.5_1080p_sr_distilled_fp8_scaled.safetensors') },
    ],
  },
  {
    id: 'hunyuan-video-15-latent-upsampler-1080p', family: 'hunyuan-video-15', role: 'latent_upscaler', name: 'HunyuanVideo 1.5 latent upsampler 1080p',
    description: 'LatentUpscaleModelLoader file for HunyuanVideo15LatentUpscaleWithModel.', licence: HV15_LICENCE,
    variants: [{ precision: 'fp16', file: 'hunyuanvideo15_latent_upsampler_1080p.safetensors', folder: 'latent_upscale_models', sizeBytes: gb(0.2), sizeEstimated: true, vramBytes: gb(1), url: hf(HV15, 'split_files/latent_upscale_models/hunyuanvideo15_latent_upsampler_1080p.safetensors') }],
  },
  {
    id: 'hunyuan-video-15-vae', family: 'hunyuan-video-15', role: 'vae', name: 'HunyuanVideo 1.5 VAE', description: 'VAE of HunyuanVideo 1.5 (÷16 spatially).', licence: HV15_LICENCE,
    variants: [{ precision: 'fp16', file: 'hunyuanvideo15_vae_fp16.safetensors', folder: 'vae', sizeBytes: gb(2.52), sizeEstimated: true, vramBytes: gb(6), url: hf(HV15, 'split_files/vae/hunyuanvideo15_vae_fp16.safetensors') }],
  },
  {
    id: 'byt5-small-glyphxl', family: 'hunyuan-video-15', role: 'text_encoder', name: 'ByT5-small Glyph-XL text encoder',
    description: 'Second encoder of the HunyuanVideo 1.5 DualCLIPLoader pair (type "hunyuan_video_15"); renders quoted text.', licence: { ...APACHE_2, notes: 'Upstream ByT5 is Apache-2.0; the Glyph-XL fine-tune ships with the Hunyuan release (verify).' },
    variants: [{ precision: 'fp16', file: 'byt5_small_glyphxl_fp16.safetensors', folder: 'text_encoders', sizeBytes: gb(0.439), vramBytes: gb(1), url: hf(HV15, 'split_files/text_encoders/byt5_small_glyphxl_fp16.safetensors') }],
  },
  {
    id: 'sigclip-vision-384', family: 'hunyuan-video-15', role: 'clip_vision', name: 'SigCLIP vision patch14 384',
    description: 'CLIPVisionLoader file for HunyuanVideo 1.5 I2V.', licence: APACHE_2,
    variants: [{ precision: 'fp16', file: 'sigclip_vision_patch14_384.safetensors', folder: 'clip_vision', sizeBytes: gb(0.86), sizeEstimated: true, vramBytes: gb(1.5), url: hf('Comfy-Org/sigclip_vision_384', 'sigclip_vision_patch14_384.safetensors') }],
  },
];
