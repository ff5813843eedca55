import type { ExecutionEnv } from '../execution/env.js';
import type { NodeExecutionContext } from '../execution/node-executor.js';

/**
 * What an image node's work is made of, each in units its cost is (nearly) linear in:
 * - `pointwise`: tensor values written by a cheap elementwise op (invert, masks);
 * - `blend` / `composite`: values written by ImageBlend / ImageCompositeMasked (several temporaries);
 * - `resample:<method>`: output values of common_upscale with that method;
 * - `convolution`: multiply-adds (values × kernel taps) of ImageBlur / ImageSharpen;
 * - `python-loop`: iterations of a per-pixel Python loop (ImagePadForOutpaint's feathering).
 */
export type ImageWork =
  | 'pointwise'
  | 'blend'
  | 'composite'
  | 'resample:nearest-exact'
  | 'resample:bilinear'
  | 'resample:area'
  | 'resample:bicubic'
  | 'resample:lanczos'
  | 'convolution'
  | 'python-loop';

/**
 * Nanoseconds per unit on ComfyUI 0.3.64 `--cpu` (torch, 2 shared cores): the mean of two
 * calibration runs (each the fastest of three runs per node, 256²–1024² images) on the real
 * server under different load (docs/conformance.md, "Timing of image nodes").
 */
const CPU_NS: Record<Exclude<ImageWork, 'convolution'>, number> = {
  pointwise: 1,
  blend: 42,
  composite: 25,
  'resample:nearest-exact': 1.5,
  'resample:bilinear': 3,
  'resample:area': 9,
  'resample:bicubic': 4.6,
  'resample:lanczos': 9.6,
  'python-loop': 345,
};

/**
 * torch's grouped conv2d on CPU: cheap while its im2col buffer (4 bytes per multiply-add) fits
 * in memory comfortably, then ~15-20 ns per multiply-add. Measured (multiply-adds → ns each,
 * mean of two runs): 57M → 0.8, 220M → 1.9, 470M → 19, 860M → 15 — a 512² blur of radius 8
 * takes ~0.4 s, of radius 16 ~13 s.
 */
const CPU_CONV_CURVE: readonly (readonly [number, number])[] = [
  [1e6, 1],
  [6.4e7, 0.6],
  [2.2e8, 1.9],
  [4.7e8, 19],
  [8.6e8, 15],
];

function cpuConvolutionNs(macs: number): number {
  const curve = CPU_CONV_CURVE;
  if (macs <= curve[0]![0]) return curve[0]![1];
  for (let i = 1; i < curve.length; i += 1) {
    const [x1, y1] = curve[i]!;
    const [x0, y0] = curve[i - 1]!;
    if (macs <= x1) return y0 + ((y1 - y0) * Math.log(macs / x0)) / Math.log(x1 / x0);
  }
  return curve.at(-1)![1];
}

/** On a GPU the tensor work is negligible next to launching it; the Python loop still runs on the CPU. */
const GPU_NS_PER_UNIT = 0.01;

/** Simulated ms of `units` of `work` on the emulated device. */
export function imageWorkMs(deviceType: 'cuda' | 'cpu', work: ImageWork, units: number): number {
  if (units <= 0) return 0;
  let ns: number;
  if (work === 'python-loop') ns = CPU_NS['python-loop'];
  else if (deviceType !== 'cpu') ns = GPU_NS_PER_UNIT;
  else ns = work === 'convolution' ? cpuConvolutionNs(units) : CPU_NS[work];
  return (ns * units) / 1e6;
}

/** Charges an image node's work through the engine's clock. */
export async function chargePixels(ctx: NodeExecutionContext, env: ExecutionEnv, work: ImageWork, units: number): Promise<void> {
  const ms = imageWorkMs(env.gpu.profile.deviceType, work, units);
  if (ms > 0) await ctx.spend(ms);
}
