import type { ApiGraph } from '../../comfy/graph.js';
import { GB, modelByFile, type CatalogModel, type ModelVariant } from '../models/index.js';
import { BYTES_PER_WEIGHT, precisionClass, type PrecisionClass } from '../models/precision.js';
import { modelSizeGb } from './model-sizes.js';
import { modelFilesOf } from './requirements.js';
import type { GpuProfileName, Precision, SamplingWorkload, TemplateEstimates } from './template.js';

/**
 * Throughput of each GPU profile relative to an RTX 4090 for diffusion sampling (fp8/fp16 DiT
 * and UNet work). Rough public-benchmark ratios: good enough to rank workers, not to promise
 * wall-clock times; the scheduler replaces them with learned timings.
 */
export const RELATIVE_SPEED: Record<GpuProfileName, number> = {
  cpu: 0.012,
  rtx3090: 0.55,
  rtx4090: 1,
  rtx5090: 1.35,
  l40s: 0.9,
  'a100-80g': 0.85,
  h100: 1.6,
};

export interface CostModel {
  steps: number;
  /** Seconds per step on an RTX 4090 at the given parameters. */
  secondsPerStepRtx4090: number;
  /** Pixels one sampling pass works on; VRAM is derived from it and the model catalogue. None without a sampler. */
  workload?: SamplingWorkload;
}

export interface EstimateGraphs {
  /** The graphs of the other values of the template's `precision` parameter (one VRAM entry each). */
  alternatives?: () => ApiGraph[];
  /** Stands in for a graph that loads files the catalogue does not know (a fine-tuned checkpoint, another ESRGAN). */
  defaultGraph?: () => ApiGraph;
}

/**
 * Expands a per-template cost model to every GPU profile, with the load size of each model file
 * and the peak VRAM of the graph and of each precision the template can be set to
 * (see {@link peakVram}).
 */
export function expandEstimates(cost: CostModel, graph: ApiGraph, graphs: EstimateGraphs = {}): TemplateEstimates {
  const secondsPerStep = Object.fromEntries(
    Object.entries(RELATIVE_SPEED).map(([profile, speed]) => [profile, round(cost.secondsPerStepRtx4090 / speed)]),
  ) as Record<GpuProfileName, number>;
  const loadGb: Record<string, number> = {};
  for (const { file } of modelFilesOf(graph)) loadGb[file] = modelSizeGb(file);

  const vramGb: Partial<Record<Precision, number>> = {};
  const add = (g: ApiGraph) => {
    const peak = peakVram(g, cost.workload);
    if (peak) vramGb[peak.precision] = Math.max(vramGb[peak.precision] ?? 0, toGb(peak.bytes));
  };
  add(knowsEveryFile(graph) || !graphs.defaultGraph ? graph : graphs.defaultGraph());
  for (const alternative of graphs.alternatives?.() ?? []) if (knowsEveryFile(alternative)) add(alternative);
  return { vramGb, steps: cost.steps, secondsPerStep, loadGb, ...(cost.workload ? { workload: cost.workload } : {}) };
}

/** The values of a template's `precision` parameter (a zod enum, usually with a default); [] without one. */
export function precisionChoices(schema: unknown): string[] {
  let field = (schema as { shape?: Record<string, unknown> }).shape?.precision as { unwrap?: () => unknown; options?: unknown } | undefined;
  for (let depth = 0; field && !Array.isArray(field.options) && field.unwrap && depth < 4; depth += 1) field = field.unwrap() as typeof field;
  return Array.isArray(field?.options) ? field.options.filter((o): o is string => typeof o === 'string') : [];
}

function knowsEveryFile(graph: ApiGraph): boolean {
  return modelFilesOf(graph).every(({ file }) => modelByFile(file) !== undefined);
}

/** Scales a per-step time measured at `base` pixels×frames to the requested size (attention ~ linear-ish here). */
export function scaleByWork(secondsAtBase: number, base: { width: number; height: number; frames?: number }, actual: { width: number; height: number; frames?: number }): number {
  const work = (s: { width: number; height: number; frames?: number }) => s.width * s.height * (s.frames ?? 1);
  return round(secondsAtBase * (work(actual) / work(base)));
}

// --- VRAM: derived from the model catalogue, never written by hand ---------------------------

/**
 * Workload at which the catalogue's working set (`vramBytes − sizeBytes`) of a diffusion model
 * holds: the run its VRAM figure comes from (see the note in each catalogue family). By model
 * id first, then by family. Models without an entry (upscalers, RIFE…) have a fixed working set.
 */
const WORKING_SET_AT_ID: Record<string, SamplingWorkload> = {
  'wan22-ti2v-5b': { width: 1280, height: 704, frames: 121 },
  'wan21-vace-1.3b': { width: 832, height: 480, frames: 81 },
  svd: { width: 1024, height: 576, frames: 14 },
};
const WORKING_SET_AT_FAMILY: Partial<Record<CatalogModel['family'], SamplingWorkload>> = {
  wan22: { width: 640, height: 640, frames: 81 },
  wan21: { width: 640, height: 640, frames: 81 },
  'wan-vace': { width: 640, height: 640, frames: 81 },
  'wan-alpha': { width: 640, height: 640, frames: 81 },
  'hunyuan-video': { width: 1280, height: 720, frames: 129 },
  'hunyuan-video-15': { width: 1280, height: 720, frames: 121 },
  'qwen-image': { width: 1328, height: 1328 },
  newbie: { width: 1024, height: 1024 },
  sd15: { width: 512, height: 512 },
  sdxl: { width: 1024, height: 1024 },
  'sdxl-turbo': { width: 512, height: 512 },
  svd: { width: 1024, height: 576, frames: 25 },
};

/** The part of a working set that does not grow with the workload: CUDA context, allocator slack, conditioning. */
export const FIXED_WORKING_SET_BYTES = 1 * GB;

/** Roles whose files are sampled with (one sampler pass each); their weights + activations make the peak. */
const SAMPLED_ROLES = new Set(['diffusion_model', 'checkpoint']);
/** Applied at every sampling step, so resident together with the model being sampled. */
const CO_RESIDENT_ROLES = new Set(['controlnet']);
/** Merged into the model's weights (ComfyUI patches them), never resident on their own. */
const PATCH_ROLES = new Set(['lora']);

interface Loaded {
  model: CatalogModel;
  variant: ModelVariant;
  /** The loader's `weight_dtype` (UNETLoader): fp8 stores 16-bit weights in one byte each. */
  weightDtype?: string;
}

/**
 * Peak VRAM of one run of `graph`, from the catalogue alone, and the precision it is at (the
 * precision the sampled model's weights sit in on the GPU). Undefined when the graph loads
 * nothing the catalogue knows.
 *
 * The rule, stage by stage as ComfyUI's model management runs a graph (each stage evicts what it
 * does not need, least recently used first):
 * - sampling: for each diffusion model / checkpoint a sampler uses, its weights (halved by an
 *   fp8 `weight_dtype`) + its working set + any ControlNet (applied at every step). The working
 *   set is the catalogue's `vramBytes − sizeBytes`: a fixed 1 GB plus activations that grow
 *   linearly with width × height × frames × batch above the workload the catalogue figure holds
 *   for (never below: the catalogue figure is a floor). Two-pass graphs (the Wan 2.2 high/low-noise
 *   experts, SDXL base/refiner) swap models between passes: the peak is the larger pass, not the
 *   sum. LoRAs are merged into the weights and add nothing.
 * - every other stage (text encoding, VAE, CLIP vision, upscaler, RIFE): that model's
 *   `vramBytes`. Text encoders are offloaded before sampling, so they never add to it.
 * The peak is the largest stage.
 */
export function peakVram(graph: ApiGraph, workload?: SamplingWorkload): { precision: PrecisionClass; bytes: number } | undefined {
  const loaded = loadedModels(graph);
  const sampled = loaded.filter((l) => SAMPLED_ROLES.has(l.model.role));
  const coResident = loaded.filter((l) => CO_RESIDENT_ROLES.has(l.model.role)).reduce((sum, l) => sum + l.variant.vramBytes, 0);
  const stages = [
    ...sampled.map((l) => ({ l, bytes: samplingBytes(l, workload) + coResident })),
    ...loaded.filter((l) => !SAMPLED_ROLES.has(l.model.role) && !PATCH_ROLES.has(l.model.role)).map((l) => ({ l, bytes: l.variant.vramBytes })),
  ];
  if (stages.length === 0) return undefined;
  const peak = stages.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const named = sampled.length > 0 ? stages.filter((s) => SAMPLED_ROLES.has(s.l.model.role)).reduce((a, b) => (b.bytes > a.bytes ? b : a)) : peak;
  return { precision: residentClass(named.l.variant, named.l.weightDtype), bytes: peak.bytes };
}

/** Every catalogue model the graph loads (once per file), with the loader's weight_dtype. */
function loadedModels(graph: ApiGraph): Loaded[] {
  const out: Loaded[] = [];
  const dtypeOf = new Map<string, string>();
  for (const node of Object.values(graph)) {
    const dtype = node.inputs.weight_dtype;
    if (typeof dtype !== 'string') continue;
    for (const value of Object.values(node.inputs)) if (typeof value === 'string') dtypeOf.set(value, dtype);
  }
  for (const { file } of modelFilesOf(graph)) {
    const hit = modelByFile(file);
    if (!hit) continue;
    const weightDtype = dtypeOf.get(file);
    out.push({ ...hit, ...(weightDtype !== undefined ? { weightDtype } : {}) });
  }
  return out;
}

/** The precision a variant's weights sit in on the GPU: an fp8 weight_dtype makes 16/32-bit weights fp8. */
function residentClass(variant: ModelVariant, weightDtype: string | undefined): PrecisionClass {
  return weightDtype?.startsWith('fp8') ? 'fp8' : precisionClass(variant.precision);
}

/** Weights as resident + the working set scaled to the workload. */
function samplingBytes(l: Loaded, workload: SamplingWorkload | undefined): number {
  const variant = l.variant;
  const stored = precisionClass(variant.precision);
  const resident = residentClass(variant, l.weightDtype);
  const weights = variant.sizeBytes * (BYTES_PER_WEIGHT[resident] / BYTES_PER_WEIGHT[stored]);
  const working = Math.max(0, variant.vramBytes - variant.sizeBytes);
  const reference = WORKING_SET_AT_ID[l.model.id] ?? WORKING_SET_AT_FAMILY[l.model.family];
  if (!reference || !workload) return weights + working;
  const scale = Math.max(1, pixels(workload) / pixels(reference));
  const fixed = Math.min(working, FIXED_WORKING_SET_BYTES);
  return weights + fixed + (working - fixed) * scale;
}

function pixels(w: SamplingWorkload): number {
  return w.width * w.height * Math.max(1, w.frames ?? 1) * Math.max(1, w.batch ?? 1);
}

/** GB rounded up to 0.1 (an estimate that fits must not be rounded below the need). */
function toGb(bytes: number): number {
  return Math.ceil(bytes / GB * 10 - 1e-6) / 10;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
