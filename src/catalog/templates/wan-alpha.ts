import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair } from './fragments.js';
import { dimension, fps, prompt, samplerName, scheduler, seed, videoLength, WAN_NEGATIVE } from './params.js';

/**
 * Wan 2.1 Alpha: transparent (RGBA) video (reference §4.3; template video_wan2.1_alpha_t2v_14B).
 * Two VAEs decode the RGB and the alpha channel; lossless animated WebP keeps the alpha.
 */
const params = z.object({
  prompt: prompt(
    'Medium shot. A little girl holds a bubble wand and blows out colorful bubbles that float and pop in the air. The background of this video is transparent. Realistic style.',
  ),
  negative: prompt(WAN_NEGATIVE),
  seed: seed(558449140107503),
  width: dimension(832, 16),
  height: dimension(480, 16),
  length: videoLength.default(33),
  fps: fps(16),
  /** lightx2v step-distill LoRA (4 steps, cfg 1); without it the defaults become 20 steps, cfg 6 (unverified upstream). */
  speedLora: z.boolean().default(true),
  steps: z.number().int().min(1).max(10000).optional(),
  cfg: z.number().min(0).max(100).optional(),
  shift: z.number().min(0).max(100).default(5),
  sampler: samplerName('uni_pc'),
  scheduler: scheduler('simple'),
  filenamePrefix: z.string().min(1).default('ComfyUI'),
});

type Params = z.output<typeof params>;
const schedule = (p: Params) => ({ steps: p.steps ?? (p.speedLora ? 4 : 20), cfg: p.cfg ?? (p.speedLora ? 1 : 6) });

export const wanAlpha = defineTemplate({
  id: 'wan-alpha',
  version: '1.0.0',
  title: 'Wan 2.1 Alpha transparent video',
  description: 'Text to video with a transparent background (RGBA), for overlays and compositing. Say "the background is transparent" in the prompt.',
  family: 'wan21-14b',
  capabilities: ['text_to_video', 'alpha_video'],
  params,
  scores: { quality: 0.7, speed: 0.45 },
  variants: [{ id: 'no-speed-lora', kind: 'quality', description: 'without lightx2v: 20 steps, cfg 6', params: { speedLora: false } }],
  graph(p) {
    const s = schedule(p);
    const g = new GraphBuilder();
    const unet = g.node('UNETLoader', { unet_name: 'wan2.1_t2v_14B_fp8_scaled.safetensors', weight_dtype: 'default' }, { title: 'Load Diffusion Model' });
    let model = unet.out(0);
    if (p.speedLora) {
      model = g.node('LoraLoaderModelOnly', { model, lora_name: 'lightx2v_T2V_14B_cfg_step_distill_v2_lora_rank64_bf16.safetensors', strength_model: 1 }, { title: 'lightx2v LoRA' }).out(0);
    }
    model = g.node('LoraLoaderModelOnly', { model, lora_name: 'wan_alpha_2.1_rgba_lora.safetensors', strength_model: 1 }, { title: 'Alpha LoRA' }).out(0);
    const sampling = g.node('ModelSamplingSD3', { model, shift: p.shift }, { title: 'ModelSamplingSD3' });
    const clip = g.node('CLIPLoader', { clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', type: 'wan', device: 'default' }, { title: 'Load CLIP' });
    const text = encodePair(g, clip.out(0), p.prompt, p.negative);
    const empty = g.node('EmptyHunyuanLatentVideo', { width: p.width, height: p.height, length: p.length, batch_size: 1 }, { title: 'Empty Video Latent' });
    const sampled = g.node(
      'KSampler',
      { model: sampling.out(0), ...text, latent_image: empty.out(0), seed: p.seed, steps: s.steps, cfg: s.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const rgbVae = g.node('VAELoader', { vae_name: 'wan_alpha_2.1_vae_rgb_channel.safetensors' }, { title: 'RGB VAE' });
    const alphaVae = g.node('VAELoader', { vae_name: 'wan_alpha_2.1_vae_alpha_channel.safetensors' }, { title: 'Alpha VAE' });
    const rgb = g.node('VAEDecode', { samples: sampled.out(0), vae: rgbVae.out(0) }, { title: 'Decode RGB' });
    const alphaImage = g.node('VAEDecode', { samples: sampled.out(0), vae: alphaVae.out(0) }, { title: 'Decode Alpha' });
    const alphaMask = g.node('ImageToMask', { image: alphaImage.out(0), channel: 'red' }, { title: 'Image To Mask' });
    // JoinImageWithAlpha expects ComfyUI's inverted mask convention.
    const inverted = g.node('InvertMask', { mask: alphaMask.out(0) }, { title: 'Invert Mask' });
    const rgba = g.node('JoinImageWithAlpha', { image: rgb.out(0), alpha: inverted.out(0) }, { title: 'Join Image With Alpha' });
    g.node('SaveAnimatedWEBP', { images: rgba.out(0), filename_prefix: p.filenamePrefix, fps: p.fps, lossless: true, quality: 80, method: 'default' }, { title: 'Save Animated WEBP (RGBA)' });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: p.length, fps: p.fps, width: p.width, height: p.height, alpha: true }),
  cost: (p) => ({
    steps: schedule(p).steps,
    secondsPerStepRtx4090: scaleByWork(11, { width: 832, height: 480, frames: 33 }, { width: p.width, height: p.height, frames: p.length }),
    workload: { width: p.width, height: p.height, frames: p.length },
  }),
});
