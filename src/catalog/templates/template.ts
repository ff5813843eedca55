import type { z } from 'zod';
import type { ApiGraph } from '../../comfy/graph.js';

/** What a template can do; the router and the story planner pick templates by these. */
export const CAPABILITIES = [
  'text_to_video',
  'image_to_video',
  'video_inpainting',
  'alpha_video',
  'text_to_image',
  'image_editing',
  'image_relighting',
  'layered_generation',
  'anime_generation',
  'super_resolution',
  'frame_interpolation',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Model families; transforms declare which ones they can be applied to. */
export type TemplateFamily =
  | 'sd15'
  | 'sdxl'
  | 'sdxl-turbo'
  | 'svd'
  | 'wan21-14b'
  | 'wan22-14b'
  | 'wan22-5b'
  | 'hunyuan15'
  | 'qwen-image'
  | 'newbie'
  | 'rife'
  | 'upscale';

/** GPU profiles the cost estimates are given for (same ids as the emulator's cost model). */
export const GPU_PROFILES = ['cpu', 'rtx3090', 'rtx4090', 'rtx5090', 'l40s', 'a100-80g', 'h100'] as const;
export type GpuProfileName = (typeof GPU_PROFILES)[number];

/** Weight precisions a template's diffusion model comes in. */
export type Precision = 'fp32' | 'fp16' | 'bf16' | 'fp8';

/** What one run produces; `frames`/`fps` follow the parameters (81 frames at 16 fps for 5 s of Wan). */
export interface TemplateOutput {
  kind: 'image' | 'video' | 'images';
  /** Video frames, or the number of images for `images`. */
  frames?: number;
  fps?: number;
  width?: number;
  height?: number;
  /** True when the output keeps an alpha channel (RGBA WebP, layer PNGs). */
  alpha?: boolean;
}

export interface NodeRequirement {
  classType: string;
  /** `core`, or the custom-node pack that provides the class (`unknown` if no schema names it). */
  pack: string;
  repository?: string;
}

export interface ModelRequirement {
  /** ComfyUI models/ subfolder (`diffusion_models`, `loras`, …). */
  folder: string;
  file: string;
}

export interface TemplateRequirements {
  nodes: NodeRequirement[];
  models: ModelRequirement[];
  /** Files the worker must have in its input/ folder (upload them first). */
  inputs: { images: string[]; videos: string[] };
}

/** Pixels one sampling pass works on (frames for video, batch for several images or layers). */
export interface SamplingWorkload {
  width: number;
  height: number;
  frames?: number;
  batch?: number;
}

export interface TemplateEstimates {
  /**
   * Peak VRAM in GB for a run at these parameters, by diffusion-model precision: derived from
   * the model catalogue's weights and working sets and `workload` (templates/estimates.ts).
   */
  vramGb: Partial<Record<Precision, number>>;
  /** Sampling steps the run takes (both passes of a two-pass graph together). */
  steps: number;
  /** Seconds per sampling step at these parameters, by GPU profile. */
  secondsPerStep: Record<GpuProfileName, number>;
  /** Size in GB of each model file the graph loads (what a cold worker has to read). */
  loadGb: Record<string, number>;
  /** The sampling workload the VRAM estimate is for. */
  workload?: SamplingWorkload;
}

/** A named parameter preset of the same template (lower memory, faster, …). */
export interface TemplateVariant {
  id: string;
  kind: 'low-memory' | 'fast' | 'quality' | 'alternative';
  description: string;
  params: Record<string, unknown>;
}

/**
 * A typed, parameterised builder of one ComfyUI API graph. `params` is the zod schema with the
 * official defaults; every method takes raw (partial) parameters and validates them first,
 * throwing `TemplateParamsError` naming the bad field.
 */
export interface Template<S extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  id: string;
  version: string;
  title: string;
  description: string;
  family: TemplateFamily;
  capabilities: readonly Capability[];
  params: S;
  /** Routing hints, 0…1: relative output quality and relative speed within the catalogue. */
  scores: { quality: number; speed: number };
  variants: readonly TemplateVariant[];
  /** The parameters with every default filled in. */
  parse(input?: unknown): z.output<S>;
  build(input?: z.input<S>): ApiGraph;
  output(input?: z.input<S>): TemplateOutput;
  requirements(input?: z.input<S>): TemplateRequirements;
  estimate(input?: z.input<S>): TemplateEstimates;
  /** The parameters of a variant merged over `input`. */
  variant(id: string, input?: z.input<S>): z.output<S>;
}

/** A template whose parameter type is not known statically (registry entries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTemplate = Template<any>;
