import { resample, centerCropWindow, type UpscaleMethod } from './resample.js';

/**
 * A real tensor of the emulator: float32 values laid out as ComfyUI's IMAGE [B,H,W,C] (C = 3 or
 * 4) or MASK [B,H,W] (C = 1), values nominally in 0..1.
 */
export interface Pixels {
  data: Float32Array;
  batch: number;
  height: number;
  width: number;
  channels: number;
}

/** Tensors above this many values stay shape-only (a long 720p clip would need gigabytes). */
export const MAX_PIXEL_VALUES = 48 * 1024 * 1024;

export function pixels(batch: number, height: number, width: number, channels: number, fill = 0): Pixels {
  const data = new Float32Array(batch * height * width * channels);
  if (fill !== 0) data.fill(fill);
  return { data, batch, height, width, channels };
}

/** The rectangle [x, x+width) × [y, y+height) of every frame, clipped to the tensor. */
export function crop(p: Pixels, x: number, y: number, width: number, height: number): Pixels {
  const x0 = Math.min(Math.max(0, x), p.width);
  const y0 = Math.min(Math.max(0, y), p.height);
  const w = Math.max(0, Math.min(p.width, x + width) - x0);
  const h = Math.max(0, Math.min(p.height, y + height) - y0);
  const out = pixels(p.batch, h, w, p.channels);
  const c = p.channels;
  for (let b = 0; b < p.batch; b += 1) {
    for (let row = 0; row < h; row += 1) {
      const from = ((b * p.height + y0 + row) * p.width + x0) * c;
      out.data.set(p.data.subarray(from, from + w * c), ((b * h + row) * w) * c);
    }
  }
  return out;
}

/** common_upscale(samples, width, height, method, crop) on [B,H,W,C]. */
export function upscale(p: Pixels, width: number, height: number, method: UpscaleMethod, cropMode: 'disabled' | 'center' = 'disabled'): Pixels {
  let source = p;
  if (cropMode === 'center') {
    const win = centerCropWindow(p.width, p.height, width, height);
    if (win.x !== 0 || win.y !== 0) source = crop(p, win.x, win.y, win.width, win.height);
  }
  const data = resample(source.data, source.batch, source.height, source.width, source.channels, width, height, method);
  return { data, batch: p.batch, height, width, channels: p.channels };
}

/** comfy.utils.repeat_to_batch_size: cut or cycle frames to `batch`. */
export function repeatToBatch(p: Pixels, batch: number): Pixels {
  if (p.batch === batch) return p;
  const frame = p.height * p.width * p.channels;
  const out = pixels(batch, p.height, p.width, p.channels);
  for (let b = 0; b < batch; b += 1) out.data.set(p.data.subarray((b % p.batch) * frame, ((b % p.batch) + 1) * frame), b * frame);
  return out;
}

/** Frames [start, start+length). */
export function frames(p: Pixels, start: number, length: number): Pixels {
  const frame = p.height * p.width * p.channels;
  return { ...p, batch: length, data: p.data.slice(start * frame, (start + length) * frame) };
}

export function concatBatches(a: Pixels, b: Pixels): Pixels {
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { ...a, batch: a.batch + b.batch, data };
}

export function map(p: Pixels, fn: (v: number) => number): Pixels {
  const data = new Float32Array(p.data.length);
  for (let i = 0; i < data.length; i += 1) data[i] = fn(p.data[i]!);
  return { ...p, data };
}

/** One channel of an IMAGE as a MASK. */
export function channel(p: Pixels, index: number): Pixels {
  const out = pixels(p.batch, p.height, p.width, 1);
  for (let i = 0, j = index; i < out.data.length; i += 1, j += p.channels) out.data[i] = p.data[j]!;
  return out;
}

/** A MASK as an IMAGE: the value in R, G and B. */
export function maskToImage(mask: Pixels): Pixels {
  const out = pixels(mask.batch, mask.height, mask.width, 3);
  for (let i = 0; i < mask.data.length; i += 1) out.data.fill(mask.data[i]!, i * 3, i * 3 + 3);
  return out;
}

/** SaveImage's conversion: clip(255·x) then uint8 (truncation), RGB of frame `b`. */
export function frameBytes(p: Pixels, b: number, channels = Math.min(3, p.channels)): Buffer {
  const n = p.height * p.width;
  const out = Buffer.allocUnsafe(n * channels);
  const base = b * n * p.channels;
  for (let i = 0; i < n; i += 1) {
    for (let ch = 0; ch < channels; ch += 1) {
      const src = p.channels === 1 ? 0 : ch;
      const v = 255 * p.data[base + i * p.channels + src]!;
      out[i * channels + ch] = v >= 255 ? 255 : v > 0 ? Math.trunc(v) : 0;
    }
  }
  return out;
}

/** Raw uint8 frames (as decoded from a file or drawn as cards) → float pixels. */
export function fromBytes(frameList: Buffer[], width: number, height: number, channels: number): Pixels {
  const out = pixels(frameList.length, height, width, channels);
  const frame = width * height * channels;
  frameList.forEach((bytes, b) => {
    for (let i = 0; i < frame; i += 1) out.data[b * frame + i] = bytes[i]! / 255;
  });
  return out;
}
