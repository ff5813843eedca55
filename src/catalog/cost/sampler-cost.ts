import type { GpuProfile } from './gpu-profiles.js';
import type { ModelCost } from './model-costs.js';

/** What one sampling step works on. */
export interface SamplerWork {
  width: number;
  height: number;
  /** Pixel frames (1 for images). */
  frames: number;
  batch: number;
  /** cfg 1 lets ComfyUI skip the unconditional pass (half the work). */
  cfg: number;
}

function ratio(cost: ModelCost, work: SamplerWork): number {
  const ref = Math.max(1, cost.refPixels * cost.refFrames);
  return (work.width * work.height * Math.max(1, work.frames) * Math.max(1, work.batch)) / ref;
}

/** Simulated ms of one step on `profile`: cond (+ uncond unless cfg is 1) passes. */
export function samplerStepMs(cost: ModelCost, work: SamplerWork, profile: GpuProfile): number {
  const passes = Math.abs(work.cfg - 1) < 1e-9 ? 1 : 2;
  return (cost.stepMs * ratio(cost, work) ** cost.exponent * passes) / profile.speed;
}

/**
 * Activation bytes of one model pass. ComfyUI runs cond and uncond as one batch only when it
 * fits and otherwise one after the other, so the minimum it needs is one pass.
 */
export function samplerActivationBytes(cost: ModelCost, work: SamplerWork): number {
  return cost.activationBytes * ratio(cost, work);
}

/** VAE decode/encode time: proportional to megapixel-frames. */
export function vaeMs(cost: ModelCost, width: number, height: number, frames: number, profile: GpuProfile): number {
  return ((cost.msPerMegapixel ?? 150) * ((width * height) / 1e6) * Math.max(1, frames)) / profile.speed;
}
