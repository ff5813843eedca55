import { z } from 'zod';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { SocketLink } from '../graph/socket-link.js';
import { inputFile } from './params.js';

/** Pieces shared by the Qwen-Image family (reference §6): one VL text encoder, one VAE, AuraFlow shift. */

export function qwenLoaders(g: GraphBuilder, unetName: string, vaeName = 'qwen_image_vae.safetensors') {
  const unet = g.node('UNETLoader', { unet_name: unetName, weight_dtype: 'default' }, { title: 'Load Diffusion Model' });
  const clip = g.node('CLIPLoader', { clip_name: 'qwen_2.5_vl_7b_fp8_scaled.safetensors', type: 'qwen_image', device: 'default' }, { title: 'Load CLIP' });
  const vae = g.node('VAELoader', { vae_name: vaeName }, { title: 'Load VAE' });
  return { model: unet.out(0), clip: clip.out(0), vae: vae.out(0) };
}

/** Chains LoraLoaderModelOnly nodes (DiT LoRAs sit between the UNET and ModelSamplingAuraFlow). */
export function modelLoras(g: GraphBuilder, model: SocketLink<'MODEL'>, loras: Array<{ file: string; strength: number; title: string }>): SocketLink<'MODEL'> {
  for (const lora of loras) {
    model = g.node('LoraLoaderModelOnly', { model, lora_name: lora.file, strength_model: lora.strength }, { title: lora.title }).out(0);
  }
  return model;
}

/** Up to three input images for TextEncodeQwenImageEditPlus (`image1` required, 2 and 3 optional). */
export function editImages(defaultFirst: string) {
  return {
    image: inputFile(defaultFirst),
    image2: z.string().min(1).optional(),
    image3: z.string().min(1).optional(),
  };
}

/** Loads image 1…3, scales image 1 to a Kontext size, and encodes the positive and negative prompts with all of them. */
export function editPlusConditioning(
  g: GraphBuilder,
  o: { clip: SocketLink<'CLIP'>; vae: SocketLink<'VAE'>; prompt: string; negative: string; image: string; image2?: string | undefined; image3?: string | undefined },
) {
  const first = g.node('LoadImage', { image: o.image }, { title: 'Image 1' });
  const scaled = g.node('FluxKontextImageScale', { image: first.out('IMAGE') }, { title: 'FluxKontextImageScale' });
  const image2 = o.image2 === undefined ? undefined : g.node('LoadImage', { image: o.image2 }, { title: 'Image 2' }).out('IMAGE');
  const image3 = o.image3 === undefined ? undefined : g.node('LoadImage', { image: o.image3 }, { title: 'Image 3' }).out('IMAGE');
  const images = { image1: scaled.out(0), image2, image3 };
  const positive = g.node('TextEncodeQwenImageEditPlus', { clip: o.clip, vae: o.vae, ...images, prompt: o.prompt }, { title: 'Positive (Edit Plus)' });
  const negative = g.node('TextEncodeQwenImageEditPlus', { clip: o.clip, vae: o.vae, ...images, prompt: o.negative }, { title: 'Negative (Edit Plus)' });
  const latent = g.node('VAEEncode', { pixels: scaled.out(0), vae: o.vae }, { title: 'VAE Encode' });
  return { positive: positive.out(0), negative: negative.out(0), latent: latent.out(0) };
}

/** Edit Plus graphs sample at the Kontext size FluxKontextImageScale picks for image 1: about one megapixel. */
export const KONTEXT_WORKLOAD = { width: 1024, height: 1024 } as const;

/** Qwen-Image 20B per-step seconds on a 4090 at 1328² fp8 (docs: ≈71 s warm for 20 steps). */
export const QWEN_STEP_SECONDS_1328 = 3.4;
