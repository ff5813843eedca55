import { z } from 'zod';
import type { ApiGraph } from '../../comfy/graph.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import type { SocketLink } from '../graph/socket-link.js';
import { scaleByWork, type CostModel } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { dimension, fps, framesFor, prompt, samplerName, scheduler, seed, videoLength, WAN_NEGATIVE } from './params.js';
import type { TemplateOutput } from './template.js';

/**
 * The Wan 2.2 14B mixture-of-experts pattern (reference §2.4): a high-noise expert samples steps
 * 0…S with leftover noise, the low-noise expert finishes S…N. Shared by the 14B I2V, T2V and
 * first/last-frame templates.
 */

/** Parameters common to every Wan 2.2 14B template. Steps/cfg/split default by `lightning`. */
export function wan14bParams(defaults: { prompt: string; width: number; height: number; filenamePrefix: string }) {
  return {
    prompt: prompt(defaults.prompt),
    negative: prompt(WAN_NEGATIVE),
    seed: seed(415617686755647),
    width: dimension(defaults.width, 16),
    height: dimension(defaults.height, 16),
    /** Clip length in seconds; frames = seconds × fps + 1 (5 s → 81, 10 s → 161 at 16 fps). */
    duration: z.number().positive().max(60).default(5),
    fps: fps(16),
    /** Explicit frame count (4n+1); overrides `duration`. */
    length: videoLength.optional(),
    /** 4-step lightx2v LoRAs on both experts (4 steps, cfg 1, split 2 unless given). */
    lightning: z.boolean().default(false),
    /** Total steps; default 20, or 4 with `lightning`. */
    steps: z.number().int().min(1).max(10000).optional(),
    /** Default 3.5, or 1 with `lightning`. */
    cfg: z.number().min(0).max(100).optional(),
    /** Step where the low-noise expert takes over; default half the steps. */
    splitStep: z.number().int().min(1).optional(),
    shift: z.number().min(0).max(100).default(5),
    sampler: samplerName('euler'),
    scheduler: scheduler('simple'),
    /** `low-high` runs the low-noise expert first: unofficial, for experiments (reference §2.4). */
    expertOrder: z.enum(['high-low', 'low-high']).default('high-low'),
    precision: z.enum(['fp8_scaled', 'fp16']).default('fp8_scaled'),
    weightDtype: z.enum(['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2']).default('default'),
    filenamePrefix: z.string().min(1).default(defaults.filenamePrefix),
  };
}

export interface Wan14bParams {
  duration: number;
  fps: number;
  length?: number | undefined;
  lightning: boolean;
  steps?: number | undefined;
  cfg?: number | undefined;
  splitStep?: number | undefined;
}

/** The sampling schedule after applying the lightning-dependent defaults. */
export function wanSchedule(p: Wan14bParams): { steps: number; cfg: number; split: number; length: number } {
  const total = p.steps ?? (p.lightning ? 4 : 20);
  return {
    steps: total,
    cfg: p.cfg ?? (p.lightning ? 1 : 3.5),
    split: p.splitStep ?? Math.max(1, Math.floor(total / 2)),
    length: p.length ?? framesFor(p.duration, p.fps),
  };
}

/** Rejects a split that leaves one expert with no steps. */
export function splitWithinSteps(p: Wan14bParams): boolean {
  const s = wanSchedule(p);
  return s.split >= 1 && s.split < s.steps;
}

export interface WanExpert {
  unet: string;
  lora: string;
}

export interface TwoPassOptions {
  high: WanExpert;
  low: WanExpert;
  lightning: boolean;
  expertOrder: 'high-low' | 'low-high';
  weightDtype: 'default' | 'fp8_e4m3fn' | 'fp8_e4m3fn_fast' | 'fp8_e5m2';
  shift: number;
  steps: number;
  cfg: number;
  split: number;
  seed: number;
  sampler: string;
  scheduler: string;
  positive: SocketLink<'CONDITIONING'>;
  negative: SocketLink<'CONDITIONING'>;
  latent: SocketLink<'LATENT'>;
}

function expertChain(g: GraphBuilder, expert: WanExpert, o: TwoPassOptions, label: string): SocketLink<'MODEL'> {
  const unet = g.node('UNETLoader', { unet_name: expert.unet, weight_dtype: o.weightDtype }, { title: `Load Diffusion Model (${label})` });
  let model: SocketLink<'MODEL'> = unet.out(0);
  if (o.lightning) {
    model = g.node('LoraLoaderModelOnly', { model, lora_name: expert.lora, strength_model: 1.0 }, { title: `4-step LoRA (${label})` }).out(0);
  }
  return g.node('ModelSamplingSD3', { model, shift: o.shift }, { title: `ModelSamplingSD3 (${label})` }).out(0);
}

/** Adds both experts and both KSamplerAdvanced passes; returns the final latent. */
export function wanTwoPass(g: GraphBuilder, o: TwoPassOptions): SocketLink<'LATENT'> {
  const high = expertChain(g, o.high, o, 'high noise');
  const low = expertChain(g, o.low, o, 'low noise');
  // The sampler settings belong to the position in the chain, not to the model (reference §2.4).
  const [first, second] = o.expertOrder === 'high-low' ? [high, low] : [low, high];
  const common = { cfg: o.cfg, sampler_name: o.sampler, scheduler: o.scheduler, steps: o.steps, positive: o.positive, negative: o.negative } as const;
  const pass1 = g.node(
    'KSamplerAdvanced',
    { ...common, sampler_name: common.sampler_name as never, scheduler: common.scheduler as never, model: first, latent_image: o.latent, add_noise: 'enable', noise_seed: o.seed, start_at_step: 0, end_at_step: o.split, return_with_leftover_noise: 'enable' },
    { title: 'KSamplerAdvanced (pass 1)' },
  );
  const pass2 = g.node(
    'KSamplerAdvanced',
    { ...common, sampler_name: common.sampler_name as never, scheduler: common.scheduler as never, model: second, latent_image: pass1.out(0), add_noise: 'disable', noise_seed: 0, start_at_step: o.split, end_at_step: 10000, return_with_leftover_noise: 'disable' },
    { title: 'KSamplerAdvanced (pass 2)' },
  );
  return pass2.out(0);
}

/** umt5 text encoder + Wan 2.1 VAE, as all 14B graphs load them. */
export function wanEncoders(g: GraphBuilder, vaeName = 'wan_2.1_vae.safetensors') {
  const clip = g.node('CLIPLoader', { clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', type: 'wan', device: 'default' }, { title: 'Load CLIP' });
  const vae = g.node('VAELoader', { vae_name: vaeName }, { title: 'Load VAE' });
  return { clip: clip.out(0), vae: vae.out(0) };
}

/** The parsed parameters the whole 14B graph reads (`wan14bParams`, after defaults). */
export interface Wan14bGraphParams extends Wan14bParams {
  prompt: string;
  negative: string;
  seed: number;
  width: number;
  height: number;
  shift: number;
  sampler: string;
  scheduler: string;
  expertOrder: TwoPassOptions['expertOrder'];
  weightDtype: TwoPassOptions['weightDtype'];
  filenamePrefix: string;
}

/** What a template feeds the experts: its conditioning node(s) on the encoded prompts. */
export type WanConditioning = (
  g: GraphBuilder,
  encoded: { text: { positive: SocketLink<'CONDITIONING'>; negative: SocketLink<'CONDITIONING'> }; vae: SocketLink<'VAE'>; length: number },
) => Pick<TwoPassOptions, 'positive' | 'negative' | 'latent'>;

/** A whole 14B graph: encoders and prompts, the template's conditioning, both expert passes, decode, save. */
export function wan14bGraph(p: Wan14bGraphParams, experts: { high: WanExpert; low: WanExpert }, conditioning: WanConditioning): ApiGraph {
  const s = wanSchedule(p);
  const g = new GraphBuilder();
  const { clip, vae } = wanEncoders(g);
  const text = encodePair(g, clip, p.prompt, p.negative);
  const latent = wanTwoPass(g, { ...experts, ...p, steps: s.steps, cfg: s.cfg, split: s.split, ...conditioning(g, { text, vae, length: s.length }) });
  const decoded = g.node('VAEDecode', { samples: latent, vae }, { title: 'VAE Decode' });
  saveVideo(g, decoded.out(0), { fps: p.fps, prefix: p.filenamePrefix });
  return g.build();
}

export function wan14bOutput(p: Wan14bParams & { width: number; height: number }): TemplateOutput {
  return { kind: 'video', frames: wanSchedule(p).length, fps: p.fps, width: p.width, height: p.height };
}

/** Cost from the seconds per step a 4090 takes at 640×640×81, scaled by the clip's pixels × frames. */
export function wan14bCost(p: Wan14bParams & { width: number; height: number }, secondsPerStepAt640: number): CostModel {
  const s = wanSchedule(p);
  return {
    steps: s.steps,
    secondsPerStepRtx4090: scaleByWork(secondsPerStepAt640, { width: 640, height: 640, frames: 81 }, { width: p.width, height: p.height, frames: s.length }),
    workload: { width: p.width, height: p.height, frames: s.length },
  };
}
