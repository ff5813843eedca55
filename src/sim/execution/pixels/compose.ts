import { pixels, repeatToBatch, upscale, type Pixels } from './pixels.js';

/**
 * ImageCompositeMasked (comfy_extras/nodes_mask.py `composite`, multiplier 1): `source` pasted
 * into a copy of `destination` at (x, y), blended by `mask` (bilinear-resized to the source),
 * the source optionally resized to the destination first; frames cycle to the destination's batch.
 */
export function compositeMasked(destination: Pixels, sourceIn: Pixels, x: number, y: number, resizeSource: boolean, maskIn?: Pixels): Pixels {
  const c = destination.channels;
  let source = sourceIn;
  if (source.channels !== c) source = withChannels(source, c);
  if (resizeSource) source = upscale(source, destination.width, destination.height, 'bilinear');
  source = repeatToBatch(source, destination.batch);
  const cx = Math.max(-source.width, Math.min(x, destination.width));
  const cy = Math.max(-source.height, Math.min(y, destination.height));
  let mask: Pixels | undefined;
  if (maskIn) mask = repeatToBatch(upscale(maskIn, source.width, source.height, 'bilinear'), source.batch);
  const out = { ...destination, data: Float32Array.from(destination.data) };
  const visibleW = Math.min(source.width, destination.width - cx + Math.min(0, x));
  const visibleH = Math.min(source.height, destination.height - cy + Math.min(0, y));
  for (let b = 0; b < destination.batch; b += 1) {
    for (let row = 0; row < visibleH; row += 1) {
      const dy = cy + row;
      if (dy < 0 || dy >= destination.height) continue;
      for (let col = 0; col < visibleW; col += 1) {
        const dx = cx + col;
        if (dx < 0 || dx >= destination.width) continue;
        const m = mask ? mask.data[(b * mask.height + row) * mask.width + col]! : 1;
        const d = ((b * destination.height + dy) * destination.width + dx) * c;
        const s = ((b * source.height + row) * source.width + col) * c;
        for (let ch = 0; ch < c; ch += 1) out.data[d + ch] = m * source.data[s + ch]! + (1 - m) * destination.data[d + ch]!;
      }
    }
  }
  return out;
}

/** node_helpers.image_alpha_fix, as far as it is well defined: drop or add an opaque alpha. */
export function withChannels(p: Pixels, channels: number): Pixels {
  const out = pixels(p.batch, p.height, p.width, channels, channels > p.channels ? 1 : 0);
  const n = p.batch * p.height * p.width;
  for (let i = 0; i < n; i += 1) for (let ch = 0; ch < Math.min(channels, p.channels); ch += 1) out.data[i * channels + ch] = p.data[i * p.channels + ch]!;
  return out;
}

export type BlendMode = 'normal' | 'multiply' | 'screen' | 'overlay' | 'soft_light' | 'difference';

function softLightG(x: number): number {
  return x <= 0.25 ? ((16 * x - 12) * x + 4) * x : Math.sqrt(x);
}

function blendOne(a: number, b: number, mode: BlendMode): number {
  switch (mode) {
    case 'normal':
      return b;
    case 'multiply':
      return a * b;
    case 'screen':
      return 1 - (1 - a) * (1 - b);
    case 'overlay':
      return a <= 0.5 ? 2 * a * b : 1 - 2 * (1 - a) * (1 - b);
    case 'soft_light':
      return b <= 0.5 ? a - (1 - 2 * b) * a * (1 - a) : a + (2 * b - 1) * (softLightG(a) - a);
    case 'difference':
      return a - b;
  }
}

/**
 * ImageBlend: image2 bicubic-resized (centre crop) to image1's size when shapes differ, then
 * image1·(1−f) + mode(image1, image2)·f, clamped. Batches broadcast when one of them is 1.
 */
export function blend(image1: Pixels, image2In: Pixels, factor: number, mode: BlendMode): Pixels {
  let image2 = image2In.channels === image1.channels ? image2In : withChannels(image2In, image1.channels);
  if (image2.width !== image1.width || image2.height !== image1.height) image2 = upscale(image2, image1.width, image1.height, 'bicubic', 'center');
  const batch = Math.max(image1.batch, image2.batch);
  const frame = image1.height * image1.width * image1.channels;
  const out = pixels(batch, image1.height, image1.width, image1.channels);
  for (let b = 0; b < batch; b += 1) {
    const a0 = (image1.batch === 1 ? 0 : b) * frame;
    const b0 = (image2.batch === 1 ? 0 : b) * frame;
    for (let i = 0; i < frame; i += 1) {
      const a = image1.data[a0 + i]!;
      const v = a * (1 - factor) + blendOne(a, image2.data[b0 + i]!, mode) * factor;
      out.data[b * frame + i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

/** ImagePadForOutpaint: grey (0.5) border, and a mask that is 1 outside and feathered (quadratic) inside. */
export function padForOutpaint(image: Pixels, left: number, top: number, right: number, bottom: number, feathering: number): { image: Pixels; mask: Pixels } {
  const { batch, height: h, width: w, channels: c } = image;
  const H = h + top + bottom;
  const W = w + left + right;
  const out = pixels(batch, H, W, c, 0.5);
  for (let b = 0; b < batch; b += 1) {
    for (let row = 0; row < h; row += 1) {
      const from = ((b * h + row) * w) * c;
      out.data.set(image.data.subarray(from, from + w * c), ((b * H + top + row) * W + left) * c);
    }
  }
  const mask = pixels(1, H, W, 1, 1);
  const feather = feathering > 0 && feathering * 2 < h && feathering * 2 < w;
  for (let i = 0; i < h; i += 1) {
    for (let j = 0; j < w; j += 1) {
      let v = 0;
      if (feather) {
        const d = Math.min(top !== 0 ? i : h, bottom !== 0 ? h - i : h, left !== 0 ? j : w, right !== 0 ? w - j : w);
        if (d < feathering) v = ((feathering - d) / feathering) ** 2;
      }
      mask.data[(top + i) * W + left + j] = v;
    }
  }
  return { image: out, mask };
}
