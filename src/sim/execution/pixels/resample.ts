/**
 * Resizing as ComfyUI's `comfy.utils.common_upscale` does it, on float32 [B,H,W,C] pixels:
 * torch's `interpolate` for nearest-exact / bilinear / area / bicubic (align_corners=False,
 * cubic A = -0.75) and Pillow's 8-bit LANCZOS for lanczos (ComfyUI round-trips through uint8
 * for it). Every method is separable, so it runs as a horizontal then a vertical pass.
 */
export type UpscaleMethod = 'nearest-exact' | 'bilinear' | 'area' | 'bicubic' | 'lanczos';

export function isUpscaleMethod(value: string): value is UpscaleMethod {
  return ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'].includes(value);
}

/** Source indices and weights for each output index along one axis. */
interface AxisWeights {
  taps: number;
  index: Int32Array;
  weight: Float64Array;
}

const CUBIC_A = -0.75;

function cubicNear(x: number): number {
  return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
}

function cubicFar(x: number): number {
  return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
}

function clampIndex(i: number, size: number): number {
  return i < 0 ? 0 : i >= size ? size - 1 : i;
}

function torchAxis(method: Exclude<UpscaleMethod, 'lanczos'>, inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  if (method === 'area') {
    let taps = 1;
    for (let o = 0; o < outSize; o += 1) taps = Math.max(taps, Math.ceil(((o + 1) * inSize) / outSize) - Math.floor((o * inSize) / outSize));
    const index = new Int32Array(outSize * taps);
    const weight = new Float64Array(outSize * taps);
    for (let o = 0; o < outSize; o += 1) {
      const start = Math.floor((o * inSize) / outSize);
      const end = Math.ceil(((o + 1) * inSize) / outSize);
      for (let t = 0; t < taps; t += 1) {
        index[o * taps + t] = clampIndex(start + t, inSize);
        weight[o * taps + t] = start + t < end ? 1 / (end - start) : 0;
      }
    }
    return { taps, index, weight };
  }
  const taps = method === 'nearest-exact' ? 1 : method === 'bilinear' ? 2 : 4;
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  for (let o = 0; o < outSize; o += 1) {
    const at = o * taps;
    if (method === 'nearest-exact') {
      index[at] = Math.min(Math.floor((o + 0.5) * scale), inSize - 1);
      weight[at] = 1;
    } else if (method === 'bilinear') {
      const src = Math.max(0, scale * (o + 0.5) - 0.5);
      const i0 = Math.floor(src);
      const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
      const l1 = src - i0;
      index[at] = i0;
      index[at + 1] = i1;
      weight[at] = 1 - l1;
      weight[at + 1] = l1;
    } else {
      const src = scale * (o + 0.5) - 0.5;
      const i = Math.floor(src);
      const t = src - i;
      const w = [cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)];
      for (let k = 0; k < 4; k += 1) {
        index[at + k] = clampIndex(i - 1 + k, inSize);
        weight[at + k] = w[k]!;
      }
    }
  }
  return { taps, index, weight };
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

function lanczos(x: number): number {
  return x > -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0;
}

const PRECISION_BITS = 32 - 8 - 2;

/** Pillow's `precompute_coeffs` for LANCZOS (support 3), in its 8-bit fixed point. */
function pillowAxis(inSize: number, outSize: number): AxisWeights {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 3 * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  for (let o = 0; o < outSize; o += 1) {
    const center = (o + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const raw: number[] = [];
    let total = 0;
    for (let x = 0; x < xmax; x += 1) {
      const w = lanczos((x + xmin - center + 0.5) / filterScale);
      raw.push(w);
      total += w;
    }
    for (let x = 0; x < taps; x += 1) {
      const w = x < raw.length && total !== 0 ? raw[x]! / total : 0;
      index[o * taps + x] = clampIndex(xmin + x, inSize);
      weight[o * taps + x] = Math.trunc(w * (1 << PRECISION_BITS) + (w < 0 ? -0.5 : 0.5));
    }
  }
  return { taps, index, weight };
}

/** One pass along x (`horizontal`) or y over [B,H,W,C] data. */
function pass(data: Float32Array, b: number, h: number, w: number, c: number, axis: AxisWeights, horizontal: boolean, outSize: number, fixedPoint: boolean): Float32Array {
  const oh = horizontal ? h : outSize;
  const ow = horizontal ? outSize : w;
  const out = new Float32Array(b * oh * ow * c);
  const { taps, index, weight } = axis;
  const half = 2 ** (PRECISION_BITS - 1);
  const unit = 2 ** PRECISION_BITS;
  for (let n = 0; n < b; n += 1) {
    const inBase = n * h * w * c;
    const outBase = n * oh * ow * c;
    for (let y = 0; y < oh; y += 1) {
      for (let x = 0; x < ow; x += 1) {
        const o = horizontal ? x : y;
        for (let ch = 0; ch < c; ch += 1) {
          let sum = fixedPoint ? half : 0;
          for (let t = 0; t < taps; t += 1) {
            const k = weight[o * taps + t]!;
            if (k === 0) continue;
            const src = index[o * taps + t]!;
            const at = horizontal ? inBase + (y * w + src) * c + ch : inBase + (src * w + x) * c + ch;
            sum += k * data[at]!;
          }
          out[outBase + (y * ow + x) * c + ch] = fixedPoint ? Math.min(255, Math.max(0, Math.floor(sum / unit))) : sum;
        }
      }
    }
  }
  return out;
}

/** Pixels of `data` ([B,H,W,C], 0..1) at outW × outH. */
export function resample(data: Float32Array, b: number, h: number, w: number, c: number, outW: number, outH: number, method: UpscaleMethod): Float32Array {
  if (method === 'lanczos') {
    // comfy.utils.lanczos: clip(255·x) → uint8 → PIL resize → /255.
    let bytes: Float32Array = new Float32Array(data.length);
    for (let i = 0; i < data.length; i += 1) bytes[i] = Math.trunc(Math.min(255, Math.max(0, 255 * data[i]!)));
    if (outW !== w) bytes = pass(bytes, b, h, w, c, pillowAxis(w, outW), true, outW, true);
    if (outH !== h) bytes = pass(bytes, b, h, outW, c, pillowAxis(h, outH), false, outH, true);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = bytes[i]! / 255;
    return bytes;
  }
  const horizontal = pass(data, b, h, w, c, torchAxis(method, w, outW), true, outW, false);
  return pass(horizontal, b, h, outW, c, torchAxis(method, h, outH), false, outH, false);
}

/** Python's round(): halves go to the even neighbour. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** common_upscale's `crop == "center"`: the centred window with the target's aspect ratio. */
export function centerCropWindow(w: number, h: number, outW: number, outH: number): { x: number; y: number; width: number; height: number } {
  const oldAspect = w / h;
  const newAspect = outW / outH;
  let x = 0;
  let y = 0;
  if (oldAspect > newAspect) x = pyRound((w - w * (newAspect / oldAspect)) / 2);
  else if (oldAspect < newAspect) y = pyRound((h - h * (oldAspect / newAspect)) / 2);
  return { x, y, width: w - 2 * x, height: h - 2 * y };
}
