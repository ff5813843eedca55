import { z } from 'zod';
import type { ApiGraph } from '../../comfy/graph.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import type { SocketLink } from '../graph/socket-link.js';
import { scaleByWork, type CostModel } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { cfg, dimension, fps, prompt, samplerName, scheduler, seed, steps, videoLength } from './params.js';
import type { TemplateOutput } from './template.js';

/** Pieces shared by the HunyuanVideo 1.5 templates (reference §5.2–5.4). */

export const HUNYUAN15_PROMPT =
  'A cinematic shot of a red fox trotting through fresh snow in a quiet pine forest at golden hour, soft breath visible in the cold air, shallow depth of field.';

export function hunyuan15Params(defaults: { negative: string }) {
  return {
    prompt: prompt(HUNYUAN15_PROMPT),
    negative: prompt(defaults.negative),
    seed: seed(881192839971727),
    // The name says 720p, but the templates default to 848×480 × 121 frames at 24 fps.
    width: dimension(848, 16),
    height: dimension(480, 16),
    length: videoLength.default(121),
    fps: fps(24),
    steps: steps(20),
    cfg: cfg(6),
    shift: z.number().min(0).max(100).default(7),
    sampler: samplerName('euler'),
    scheduler: scheduler('simple'),
    /** EasyCache (bypassed in the template): reuses steps, faster, slightly softer. */
    easyCache: z.boolean().default(false),
    filenamePrefix: z.string().min(1).default('video/hunyuan_video_1.5'),
  };
}

/** Qwen 2.5 VL + byT5 text encoders and the 1.5 VAE. */
export function hunyuan15Encoders(g: GraphBuilder) {
  const clip = g.node(
    'DualCLIPLoader',
    { clip_name1: 'qwen_2.5_vl_7b_fp8_scaled.safetensors', clip_name2: 'byt5_small_glyphxl_fp16.safetensors', type: 'hunyuan_video_15', device: 'default' },
    { title: 'Load Text Encoders' },
  );
  const vae = g.node('VAELoader', { vae_name: 'hunyuanvideo15_vae_fp16.safetensors' }, { title: 'Load VAE' });
  return { clip: clip.out(0), vae: vae.out(0) };
}

export interface CustomSamplerOptions {
  model: SocketLink<'MODEL'>;
  positive: SocketLink<'CONDITIONING'>;
  negative: SocketLink<'CONDITIONING'>;
  latent: SocketLink<'LATENT'>;
  seed: number;
  steps: number;
  cfg: number;
  shift: number;
  sampler: string;
  scheduler: string;
  easyCache?: boolean;
  label?: string;
}

/** The template's "Custom Sampler" subgraph, flattened: ModelSamplingSD3 → CFGGuider → SamplerCustomAdvanced. */
export function customSampler(g: GraphBuilder, o: CustomSamplerOptions): SocketLink<'LATENT'> {
  const label = o.label ? ` (${o.label})` : '';
  let model = o.model;
  if (o.easyCache) {
    model = g.node('EasyCache', { model, reuse_threshold: 0.2, start_percent: 0.15, end_percent: 0.95, verbose: false }, { title: `EasyCache${label}` }).out(0);
  }
  const sampling = g.node('ModelSamplingSD3', { model, shift: o.shift }, { title: `ModelSamplingSD3${label}` });
  const guider = g.node('CFGGuider', { model: sampling.out(0), positive: o.positive, negative: o.negative, cfg: o.cfg }, { title: `CFGGuider${label}` });
  const sigmas = g.node('BasicScheduler', { model: o.model, scheduler: o.scheduler as never, steps: o.steps, denoise: 1 }, { title: `BasicScheduler${label}` });
  const noise = g.node('RandomNoise', { noise_seed: o.seed }, { title: `RandomNoise${label}` });
  const sampler = g.node('KSamplerSelect', { sampler_name: o.sampler as never }, { title: `KSamplerSelect${label}` });
  const out = g.node(
    'SamplerCustomAdvanced',
    { noise: noise.out(0), guider: guider.out(0), sampler: sampler.out(0), sigmas: sigmas.out(0), latent_image: o.latent },
    { title: `SamplerCustomAdvanced${label}` },
  );
  return out.out('output');
}

/** Per-step seconds on a 4090 at 848×480×121 (docs: 8.3B runs on 24 GB consumer GPUs). */
export const HUNYUAN15_BASE_STEP = { seconds: 14, at: { width: 848, height: 480, frames: 121 } };

/** The parsed parameters the whole graph reads (`hunyuan15Params`, after defaults). */
export interface Hunyuan15GraphParams {
  prompt: string;
  negative: string;
  seed: number;
  width: number;
  height: number;
  length: number;
  fps: number;
  steps: number;
  cfg: number;
  shift: number;
  sampler: string;
  scheduler: string;
  easyCache: boolean;
  filenamePrefix: string;
}

/** What a template feeds the sampler: its conditioning node(s) on the encoded prompts. */
export type Hunyuan15Conditioning = (
  g: GraphBuilder,
  encoded: { text: { positive: SocketLink<'CONDITIONING'>; negative: SocketLink<'CONDITIONING'> }; vae: SocketLink<'VAE'> },
) => Pick<CustomSamplerOptions, 'positive' | 'negative' | 'latent'>;

/** A whole 1.5 graph: the diffusion model, encoders and prompts, the template's conditioning, sampler, decode, H.264 save. */
export function hunyuan15Graph(p: Hunyuan15GraphParams, unetName: string, conditioning: Hunyuan15Conditioning): ApiGraph {
  const g = new GraphBuilder();
  const unet = g.node('UNETLoader', { unet_name: unetName, weight_dtype: 'default' }, { title: 'Load Diffusion Model' });
  const { clip, vae } = hunyuan15Encoders(g);
  const text = encodePair(g, clip, p.prompt, p.negative);
  const latent = customSampler(g, { ...p, model: unet.out(0), ...conditioning(g, { text, vae }) });
  const decoded = g.node('VAEDecode', { samples: latent, vae }, { title: 'VAE Decode' });
  saveVideo(g, decoded.out(0), { fps: p.fps, prefix: p.filenamePrefix, codec: 'h264' });
  return g.build();
}

export function hunyuan15Output(p: Hunyuan15GraphParams): TemplateOutput {
  return { kind: 'video', frames: p.length, fps: p.fps, width: p.width, height: p.height };
}

export function hunyuan15Cost(p: Hunyuan15GraphParams): CostModel {
  return {
    steps: p.steps,
    secondsPerStepRtx4090: scaleByWork(HUNYUAN15_BASE_STEP.seconds, HUNYUAN15_BASE_STEP.at, { width: p.width, height: p.height, frames: p.length }),
    workload: { width: p.width, height: p.height, frames: p.length },
  };
}
