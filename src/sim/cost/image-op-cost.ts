import type { ExecutionEnv } from '../execution/env.js';
import type { NodeExecutionContext } from '../execution/node-executor.js';

/**
 * What an image node's work is made of, in units its cost is linear in:
 * - `pointwise`: tensor values written (invert, blend, composite, masks);
 * - `resample`: output values of an interpolation;
 * - `convolution`: multiply-adds (values × kernel taps) of ImageBlur / ImageSharpen;
 * - `python-loop`: iterations of a per-pixel Python loop (ImagePadForOutpaint's feathering).
 */
export type ImageWork = 'pointwise' | 'resample' | 'convolution' | 'python-loop';

/**
 * Nanoseconds per unit on ComfyUI 0.3.64 `--cpu` (torch on 2 cores), measured with the
 * differential suite's timing graphs (docs/conformance.md, "Differential suite"); torch's
 * grouped conv2d on CPU is slow, which is why a blur costs seconds there.
 */
const CPU_NS: Record<ImageWork, number> = {
  pointwise: 2,
  resample: 12,
  convolution: 1.1,
  'python-loop': 1500,
};

/** On a GPU the tensor work is negligible; the per-pixel Python loop still runs on the CPU. */
const GPU_NS: Record<ImageWork, number> = {
  pointwise: 0.01,
  resample: 0.02,
  convolution: 0.005,
  'python-loop': 1500,
};

/** Simulated ms of `units` of `work` on the emulated device. */
export function imageWorkMs(deviceType: 'cuda' | 'cpu', work: ImageWork, units: number): number {
  const ns = (deviceType === 'cpu' ? CPU_NS : GPU_NS)[work];
  return (ns * units) / 1e6;
}

/** Charges an image node's work through the engine's clock (interruptible like a sampler step). */
export async function chargePixels(ctx: NodeExecutionContext, env: ExecutionEnv, work: ImageWork, units: number): Promise<void> {
  const ms = imageWorkMs(env.gpu.profile.deviceType, work, units);
  if (ms > 0) await ctx.spend(ms);
}
