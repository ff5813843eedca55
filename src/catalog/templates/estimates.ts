import type { GpuProfileName, Precision, TemplateEstimates } from './template.js';
import { modelSizeGb } from './model-sizes.js';

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
  vramGb: Partial<Record<Precision, number>>;
}

/** Expands a per-template cost model to every GPU profile, with the load size of each model file. */
export function expandEstimates(cost: CostModel, modelFiles: readonly string[]): TemplateEstimates {
  const secondsPerStep = Object.fromEntries(
    Object.entries(RELATIVE_SPEED).map(([profile, speed]) => [profile, round(cost.secondsPerStepRtx4090 / speed)]),
  ) as Record<GpuProfileName, number>;
  const loadGb: Record<string, number> = {};
  for (const file of modelFiles) loadGb[file] = modelSizeGb(file);
  return { vramGb: cost.vramGb, steps: cost.steps, secondsPerStep, loadGb };
}

/** Scales a per-step time measured at `base` pixels×frames to the requested size (attention ~ linear-ish here). */
export function scaleByWork(secondsAtBase: number, base: { width: number; height: number; frames?: number }, actual: { width: number; height: number; frames?: number }): number {
  const work = (s: { width: number; height: number; frames?: number }) => s.width * s.height * (s.frames ?? 1);
  return round(secondsAtBase * (work(actual) / work(base)));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
