import { imagePixels } from '../../render/frames.js';
import { chargePixels } from '../../cost/image-op-cost.js';
import { type NodeHandler, input, num, str } from '../env.js';
import { NodeFailure } from '../node-executor.js';
import { channel, crop, map, maskToImage, MAX_PIXEL_VALUES, pixels, type Pixels } from '../pixels/pixels.js';
import { ImageValue, MaskValue } from '../values.js';

/** The MASK's values [B,H,W]: computed ones, a constant fill, or undefined when unknown or too large. */
export function maskPixels(mask: MaskValue): Pixels | undefined {
  if (mask.pixels) return mask.pixels;
  if (mask.fill === undefined || mask.batch * mask.width * mask.height > MAX_PIXEL_VALUES) return undefined;
  return pixels(mask.batch, mask.height, mask.width, 1, mask.fill);
}

/** Runs `fn` on the mask's values, or keeps the shape when they are unknown. */
function onMask(fn: (p: Pixels) => Pixels, shape?: (m: MaskValue) => MaskValue): NodeHandler {
  return async (ctx, env) => {
    const mask = input(ctx, 'mask', MaskValue)!;
    const p = maskPixels(mask);
    if (!p) return { outputs: [shape ? shape(mask) : new MaskValue(mask.width, mask.height, mask.batch)] };
    const out = fn(p);
    await chargePixels(ctx, env, 'pointwise', out.data.length);
    return { outputs: [MaskValue.ofPixels(out)] };
  };
}

const solidMask: NodeHandler = async (ctx) => {
  const width = num(ctx, 'width', 512);
  const height = num(ctx, 'height', 512);
  const value = num(ctx, 'value', 1);
  if (width * height > MAX_PIXEL_VALUES) return { outputs: [new MaskValue(width, height, 1, value)] };
  return { outputs: [MaskValue.ofPixels(pixels(1, height, width, 1, Math.fround(value)))] };
};

/** ImageToMask: one channel; asking an RGB image for alpha is torch's IndexError. */
const imageToMask: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const index = ['red', 'green', 'blue', 'alpha'].indexOf(str(ctx, 'channel', 'red'));
  const channels = image.alpha ? 4 : 3;
  if (index >= channels) throw new NodeFailure('IndexError', `index ${index} is out of bounds for dimension 3 with size ${channels}`);
  const p = await imagePixels(image, env.cards);
  if (!p) return { outputs: [new MaskValue(image.width, image.height, image.batch)] };
  return { outputs: [MaskValue.ofPixels(channel(p, index))] };
};

/** ImageColorToMask: 1 where round(255·clamp(x)) packs to `color`. */
const imageColorToMask: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const color = num(ctx, 'color', 0);
  const p = await imagePixels(image, env.cards);
  if (!p) return { outputs: [new MaskValue(image.width, image.height, image.batch)] };
  const out = pixels(p.batch, p.height, p.width, 1);
  const byte = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  for (let i = 0; i < out.data.length; i += 1) {
    const at = i * p.channels;
    out.data[i] = byte(p.data[at]!) * 65536 + byte(p.data[at + 1]!) * 256 + byte(p.data[at + 2]!) === color ? 1 : 0;
  }
  return { outputs: [MaskValue.ofPixels(out)] };
};

const maskToImageNode: NodeHandler = async (ctx, env) => {
  const mask = input(ctx, 'mask', MaskValue)!;
  const p = maskPixels(mask);
  if (!p) return { outputs: [new ImageValue(mask.width, mask.height, mask.batch, [])] };
  const out = maskToImage(p);
  await chargePixels(ctx, env, 'pointwise', out.data.length);
  return { outputs: [ImageValue.ofPixels(out, [])] };
};

const cropMask: NodeHandler = async (ctx) => {
  const mask = input(ctx, 'mask', MaskValue)!;
  const [x, y, width, height] = [num(ctx, 'x', 0), num(ctx, 'y', 0), num(ctx, 'width', 512), num(ctx, 'height', 512)];
  const p = maskPixels(mask);
  if (!p) return { outputs: [new MaskValue(Math.max(0, Math.min(mask.width, x + width) - x), Math.max(0, Math.min(mask.height, y + height) - y), mask.batch)] };
  return { outputs: [MaskValue.ofPixels(crop(p, x, y, width, height))] };
};

function combine(d: number, s: number, operation: string): number {
  switch (operation) {
    case 'multiply':
      return d * s;
    case 'add':
      return d + s;
    case 'subtract':
      return d - s;
    default: {
      // torch.round is round-half-even; bool() is "non-zero".
      const a = Math.abs(d % 1) === 0.5 ? 2 * Math.round(d / 2) : Math.round(d);
      const b = Math.abs(s % 1) === 0.5 ? 2 * Math.round(s / 2) : Math.round(s);
      const [p, q] = [a !== 0, b !== 0];
      return Number(operation === 'and' ? p && q : operation === 'or' ? p || q : p !== q);
    }
  }
}

/** MaskComposite: `source` combined into `destination` at (x, y), the result clamped to 0..1. */
const maskComposite: NodeHandler = async (ctx, env) => {
  const destination = input(ctx, 'destination', MaskValue)!;
  const source = input(ctx, 'source', MaskValue)!;
  const pd = maskPixels(destination);
  const ps = maskPixels(source);
  if (!pd || !ps) return { outputs: [new MaskValue(destination.width, destination.height, destination.batch)] };
  if (ps.batch !== pd.batch && ps.batch !== 1) throw new NodeFailure('RuntimeError', `The size of tensor a (${pd.batch}) must match the size of tensor b (${ps.batch}) at non-singleton dimension 0`);
  const [left, top] = [num(ctx, 'x', 0), num(ctx, 'y', 0)];
  const operation = str(ctx, 'operation', 'multiply');
  const out = { ...pd, data: Float32Array.from(pd.data) };
  const right = Math.min(left + ps.width, pd.width);
  const bottom = Math.min(top + ps.height, pd.height);
  for (let b = 0; b < pd.batch; b += 1) {
    const sb = ps.batch === 1 ? 0 : b;
    for (let y = top; y < bottom; y += 1) {
      for (let x = left; x < right; x += 1) {
        const at = (b * pd.height + y) * pd.width + x;
        out.data[at] = combine(pd.data[at]!, ps.data[(sb * ps.height + y - top) * ps.width + x - left]!, operation);
      }
    }
  }
  for (let i = 0; i < out.data.length; i += 1) out.data[i] = Math.min(1, Math.max(0, out.data[i]!));
  await chargePixels(ctx, env, 'pointwise', out.data.length);
  return { outputs: [MaskValue.ofPixels(out)] };
};

/** FeatherMask: linear ramps on each side; right/bottom use Python's `-x` (so x = 0 hits column 0). */
function feather(p: Pixels, leftIn: number, topIn: number, rightIn: number, bottomIn: number): Pixels {
  const out = { ...p, data: Float32Array.from(p.data) };
  const { batch, height: h, width: w } = p;
  const left = Math.min(leftIn, w);
  const right = Math.min(rightIn, w);
  const top = Math.min(topIn, h);
  const bottom = Math.min(bottomIn, h);
  const col = (x: number, rate: number) => {
    for (let b = 0; b < batch; b += 1) for (let y = 0; y < h; y += 1) out.data[(b * h + y) * w + x] = Math.fround(out.data[(b * h + y) * w + x]! * rate);
  };
  const row = (y: number, rate: number) => {
    for (let b = 0; b < batch; b += 1) for (let x = 0; x < w; x += 1) out.data[(b * h + y) * w + x] = Math.fround(out.data[(b * h + y) * w + x]! * rate);
  };
  for (let x = 0; x < left; x += 1) col(x, (x + 1) / left);
  for (let x = 0; x < right; x += 1) col(x === 0 ? 0 : w - x, (x + 1) / right);
  for (let y = 0; y < top; y += 1) row(y, (y + 1) / top);
  for (let y = 0; y < bottom; y += 1) row(y === 0 ? 0 : h - y, (y + 1) / bottom);
  return out;
}

/** GrowMask: repeated grey dilation (or erosion) with a 3×3 cross, or square without tapered corners. */
function grow(p: Pixels, expand: number, tapered: boolean): Pixels {
  const { batch, height: h, width: w } = p;
  let current = Float32Array.from(p.data);
  const offsets: [number, number][] = [];
  for (let dy = -1; dy <= 1; dy += 1) for (let dx = -1; dx <= 1; dx += 1) if (!tapered || dx === 0 || dy === 0) offsets.push([dx, dy]);
  const pick = expand < 0 ? Math.min : Math.max;
  for (let step = 0; step < Math.abs(expand); step += 1) {
    const next = new Float32Array(current.length);
    for (let b = 0; b < batch; b += 1) {
      for (let y = 0; y < h; y += 1) {
        for (let x = 0; x < w; x += 1) {
          let v = expand < 0 ? Infinity : -Infinity;
          // scipy's default mode 'reflect' repeats the edge pixel, so out-of-range taps clamp.
          for (const [dx, dy] of offsets) v = pick(v, current[(b * h + Math.min(h - 1, Math.max(0, y + dy))) * w + Math.min(w - 1, Math.max(0, x + dx))]!);
          next[(b * h + y) * w + x] = v;
        }
      }
    }
    current = next;
  }
  return { ...p, data: current };
}

export const maskHandlers: Record<string, NodeHandler> = {
  SolidMask: solidMask,
  ImageToMask: imageToMask,
  ImageColorToMask: imageColorToMask,
  MaskToImage: maskToImageNode,
  InvertMask: onMask((p) => map(p, (v) => 1 - v)),
  CropMask: cropMask,
  MaskComposite: maskComposite,
  FeatherMask: async (ctx, env) =>
    onMask((p) => feather(p, num(ctx, 'left', 0), num(ctx, 'top', 0), num(ctx, 'right', 0), num(ctx, 'bottom', 0)))(ctx, env),
  GrowMask: async (ctx, env) => onMask((p) => grow(p, num(ctx, 'expand', 0), ctx.inputs.tapered_corners !== false))(ctx, env),
  ThresholdMask: async (ctx, env) => {
    const value = num(ctx, 'value', 0.5);
    const threshold = Math.fround(value); // torch compares in the mask's float32
    return onMask((p) => map(p, (v) => (v > threshold ? 1 : 0)))(ctx, env);
  },
};
