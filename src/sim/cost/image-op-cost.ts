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
 * Nanoseconds per unit on ComfyUI 0.3.64 `--cpu` (torch on 2 shared cores), fitted to node
 * times measured on the real server (docs/conformance.md, "Differential suite"). Convolution is
 * per multiply-add and grows with the kernel: torch's grouped conv2d on CPU takes ~2 + 0.3·k ns
 * per tap for a k×k kernel, so a 512² blur of radius 31 runs about a minute.
 */
const CPU_NS: Record<ImageWork, number> = {
  pointwise: 3,
  resample: 12,
  convolution: 2,
  'python-loop': 1500,
};
const CPU_CONV_NS_PER_KERNEL_SIDE = 0.3;

/** On a GPU the tensor work is negligible; the per-pixel Python loop still runs on the CPU. */
const GPU_NS: Record<ImageWork, number> = {
  pointwise: 0.01,
  resample: 0.02,
  convolution: 0.005,
  'python-loop': 1500,
};

/** Simulated ms of `units` of `work` on the emulated device; `kernelSide` for convolutions. */
export function imageWorkMs(deviceType: 'cuda' | 'cpu', work: ImageWork, units: number, kernelSide = 1): number {
  let ns = (deviceType === 'cpu' ? CPU_NS : GPU_NS)[work];
  if (deviceType === 'cpu' && work === 'convolution') ns += CPU_CONV_NS_PER_KERNEL_SIDE * kernelSide;
  return (ns * units) / 1e6;
}

/** Charges an image node's work through the engine's clock. */
export async function chargePixels(ctx: NodeExecutionContext, env: ExecutionEnv, work: ImageWork, units: number, kernelSide = 1): Promise<void> {
  const ms = imageWorkMs(env.gpu.profile.deviceType, work, units, kernelSide);
  if (ms > 0) await ctx.spend(ms);
}
