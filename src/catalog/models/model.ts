import { z } from 'zod';

/**
 * One model of the catalogue: a logical model (e.g. "Wan 2.2 14B I2V high-noise expert") with the
 * files that carry it at different precisions. `file` is the exact name ComfyUI sees, `folder` the
 * ComfyUI models folder key. Sizes are decimal bytes as Hugging Face shows them; `vramBytes` is an
 * estimate of the VRAM needed to run the model at that precision (weights + working memory) on
 * ComfyUI, without offloading.
 */
export const PRECISIONS = ['fp32', 'bf16', 'fp16', 'fp8_scaled', 'fp8_e4m3fn', 'fp8_mixed', 'gguf_q8', 'gguf_q4'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Higher is better quality; used to order variants (fp16 ≈ bf16 for inference). */
export const PRECISION_RANK: Record<Precision, number> = {
  fp32: 8, bf16: 7, fp16: 7, fp8_scaled: 5, fp8_mixed: 5, fp8_e4m3fn: 4, gguf_q8: 4, gguf_q4: 2,
};

export const FOLDERS = [
  'checkpoints', 'diffusion_models', 'text_encoders', 'vae', 'loras', 'clip_vision', 'controlnet',
  'upscale_models', 'ipadapter', 'latent_upscale_models', 'frame_interpolation', 'custom_nodes/ComfyUI-Frame-Interpolation/ckpts/rife',
] as const;
export type ModelFolder = (typeof FOLDERS)[number];

export const ROLES = [
  'diffusion_model', 'checkpoint', 'text_encoder', 'vae', 'lora', 'clip_vision', 'controlnet', 'upscaler',
  'latent_upscaler', 'interpolation', 'ipadapter',
] as const;

export const FAMILIES = [
  'wan22', 'wan21', 'wan-vace', 'wan-alpha', 'hunyuan-video', 'hunyuan-video-15', 'qwen-image', 'newbie', 'sd15', 'sdxl',
  'sdxl-turbo', 'svd', 'controlnet', 'ip-adapter', 'interpolation', 'upscaler', 'flux',
] as const;

export const variantSchema = z.object({
  precision: z.enum(PRECISIONS),
  file: z.string().regex(/^[^/\\]+\.(safetensors|ckpt|pth|bin|pt|gguf)$/),
  folder: z.enum(FOLDERS),
  sizeBytes: z.number().int().positive(),
  sizeEstimated: z.boolean().optional(),
  vramBytes: z.number().int().positive(),
  url: z.url(),
  notes: z.string().optional(),
});

export const licenceSchema = z.object({
  name: z.string().min(1),
  url: z.url(),
  commercialUse: z.boolean(),
  notes: z.string().optional(),
});

export const modelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  family: z.enum(FAMILIES),
  role: z.enum(ROLES),
  name: z.string().min(1),
  parameters: z.string().optional(),
  variants: z.array(variantSchema).min(1),
  licence: licenceSchema,
  description: z.string().min(1),
});

export type ModelVariant = z.infer<typeof variantSchema>;
export type Licence = z.infer<typeof licenceSchema>;
export type CatalogModel = z.infer<typeof modelSchema>;

export const GB = 1_000_000_000;
export const MB = 1_000_000;

/** Hugging Face download URL of a file in a repository. */
export function hf(repo: string, path: string): string {
  return `https://huggingface.co/${repo}/resolve/main/${path}`;
}

/** Bytes from decimal GB, rounded to whole bytes. */
export function gb(value: number): number {
  return Math.round(value * GB);
}

/**
 * VRAM estimate: the weights plus a working set (activations, latents, CUDA context) that
 * depends on the model kind. Rough on purpose; the note in each family says where numbers came from.
 */
export function runVram(sizeBytes: number, workingGb: number): number {
  return Math.round(sizeBytes + workingGb * GB);
}
