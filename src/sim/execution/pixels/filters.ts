import { pixels, type Pixels } from './pixels.js';

/**
 * The gaussian kernels of comfy_extras/nodes_post_processing.py: `kernel_size = 2r + 1` taps
 * over linspace(-1, 1), exp(-d²/2σ²), normalised. The 2-D kernel is the outer product of this
 * 1-D one, so the convolution runs as two passes.
 */
export function gaussianTaps(radius: number, sigma: number): Float64Array {
  const size = radius * 2 + 1;
  const taps = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i += 1) {
    const x = size === 1 ? -1 : -1 + (2 * i) / (size - 1);
    taps[i] = Math.exp(-(x * x) / (2 * sigma * sigma));
    total += taps[i]!;
  }
  for (let i = 0; i < size; i += 1) taps[i] = taps[i]! / total;
  return taps;
}

/** torch's 'reflect' padding: the edge pixel is not repeated. */
function reflect(i: number, size: number): number {
  if (i < 0) return -i;
  if (i >= size) return 2 * (size - 1) - i;
  return i;
}

/** ImageBlur's result (reflect padding by `radius`), before any clamp. */
export function gaussianBlur(p: Pixels, radius: number, sigma: number): Pixels {
  const taps = gaussianTaps(radius, sigma);
  const { batch, height, width, channels: c } = p;
  const tmp = pixels(batch, height, width, c);
  const out = pixels(batch, height, width, c);
  for (let b = 0; b < batch; b += 1) {
    const base = b * height * width * c;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        for (let ch = 0; ch < c; ch += 1) {
          let sum = 0;
          for (let k = -radius; k <= radius; k += 1) sum += taps[k + radius]! * p.data[base + (y * width + reflect(x + k, width)) * c + ch]!;
          tmp.data[base + (y * width + x) * c + ch] = sum;
        }
      }
    }
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        for (let ch = 0; ch < c; ch += 1) {
          let sum = 0;
          for (let k = -radius; k <= radius; k += 1) sum += taps[k + radius]! * tmp.data[base + (reflect(y + k, height) * width + x) * c + ch]!;
          out.data[base + (y * width + x) * c + ch] = sum;
        }
      }
    }
  }
  return out;
}

/**
 * ImageSharpen: its kernel is -10α·gauss with 1 + 10α added at the centre, i.e.
 * x + 10α·(x − blur(x)), clamped to 0..1.
 */
export function sharpen(p: Pixels, radius: number, sigma: number, alpha: number): Pixels {
  const blurred = gaussianBlur(p, radius, sigma);
  const k = alpha * 10;
  const data = new Float32Array(p.data.length);
  for (let i = 0; i < data.length; i += 1) data[i] = Math.min(1, Math.max(0, p.data[i]! + k * (p.data[i]! - blurred.data[i]!)));
  return { ...p, data };
}
