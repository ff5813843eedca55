import { imagePixels } from '../../render/frames.js';
import { chargePixels } from '../../cost/image-op-cost.js';
import { type NodeHandler, input, num, str } from '../env.js';
import { withChannels } from '../pixels/compose.js';
import { pixels, upscale, type Pixels } from '../pixels/pixels.js';
import { isUpscaleMethod } from '../pixels/resample.js';
import { concat, flip, placeOn, rotateClockwise } from '../pixels/transform.js';
import { porterDuff, type PorterDuffMode } from '../pixels/porter-duff.js';
import { ImageValue, MaskValue } from '../values.js';
import { maskPixels } from './masks.js';

/** ImageRotate: "90 degrees" is a quarter turn clockwise (torch.rot90 over dims [2, 1]). */
const imageRotate: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const rotation = str(ctx, 'rotation', 'none');
  const k = rotation.startsWith('90') ? 1 : rotation.startsWith('180') ? 2 : rotation.startsWith('270') ? 3 : 0;
  const p = await imagePixels(image, env.cards);
  if (!p) {
    const [w, h] = k % 2 === 1 ? [image.height, image.width] : [image.width, image.height];
    return { outputs: [new ImageValue(w, h, image.batch, image.cards.map((c) => ({ ...c, width: w, height: h })))] };
  }
  await chargePixels(ctx, env, 'pointwise', p.data.length);
  return { outputs: [ImageValue.ofPixels(rotateClockwise(p, k), image.cards)] };
};

/** ImageFlip: "x-axis: vertically" flips rows, "y-axis: horizontally" flips columns. */
const imageFlip: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const method = str(ctx, 'flip_method', 'x-axis: vertically');
  const p = await imagePixels(image, env.cards);
  if (!p || !(method.startsWith('x') || method.startsWith('y'))) return { outputs: [image] };
  await chargePixels(ctx, env, 'pointwise', p.data.length);
  return { outputs: [ImageValue.ofPixels(flip(p, method.startsWith('x')), image.cards)] };
};

/**
 * ResizeAndPadImage: fit inside target_width × target_height keeping the aspect (int() of the
 * scaled sides), centred on white (1.0) or black (0.0).
 */
const resizeAndPad: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const width = num(ctx, 'target_width', 512);
  const height = num(ctx, 'target_height', 512);
  const method = str(ctx, 'interpolation', 'area');
  const scale = Math.min(width / image.width, height / image.height);
  const innerW = Math.trunc(image.width * scale);
  const innerH = Math.trunc(image.height * scale);
  const p = isUpscaleMethod(method) ? await imagePixels(image, env.cards) : undefined;
  if (!p || !isUpscaleMethod(method)) return { outputs: [new ImageValue(width, height, image.batch, image.cards.map((c) => ({ ...c, width, height })))] };
  await chargePixels(ctx, env, `resample:${method}`, innerW * innerH * p.batch * p.channels);
  const resized = upscale(p, innerW, innerH, method);
  const fill = str(ctx, 'padding_color', 'white') === 'black' ? 0 : 1;
  return { outputs: [ImageValue.ofPixels(placeOn(resized, width, height, Math.floor((width - innerW) / 2), Math.floor((height - innerH) / 2), fill), image.cards)] };
};

/** The last frame repeated until the batch has `batch` frames (ImageStitch's batch matching). */
function extendBatch(p: Pixels, batch: number): Pixels {
  if (p.batch >= batch) return p;
  const frame = p.height * p.width * p.channels;
  const out = pixels(batch, p.height, p.width, p.channels);
  out.data.set(p.data);
  for (let b = p.batch; b < batch; b += 1) out.data.set(p.data.subarray((p.batch - 1) * frame, p.batch * frame), b * frame);
  return out;
}

const STITCH_COLORS: Record<string, number | [number, number, number]> = { white: 1, black: 0, red: [1, 0, 0], green: [0, 1, 0], blue: [0, 0, 1] };

/**
 * ImageStitch (nodes_images.py): image2 beside or above/below image1, lanczos-resized to match
 * or centred with padding, channels filled with 1, an even-width spacer of the chosen colour.
 */
const imageStitch: NodeHandler = async (ctx, env) => {
  const image1 = input(ctx, 'image1', ImageValue)!;
  const image2 = input(ctx, 'image2', ImageValue);
  if (!image2) return { outputs: [image1] };
  const direction = str(ctx, 'direction', 'right');
  const horizontal = direction === 'left' || direction === 'right';
  let a = await imagePixels(image1, env.cards);
  let b = a ? await imagePixels(image2, env.cards) : undefined;
  if (!a || !b) return { outputs: [image1] };
  const batch = Math.max(a.batch, b.batch);
  a = extendBatch(a, batch);
  b = extendBatch(b, batch);
  const color = STITCH_COLORS[str(ctx, 'spacing_color', 'white')] ?? 1;
  if (ctx.inputs.match_image_size !== false) {
    const aspect = b.width / b.height;
    const [tw, th] = horizontal ? [Math.trunc(a.height * aspect), a.height] : [a.width, Math.trunc(a.width / aspect)];
    await chargePixels(ctx, env, 'resample:lanczos', tw * th * b.batch * b.channels);
    b = upscale(b, tw, th, 'lanczos');
  } else {
    const padValue = typeof color === 'number' ? color : 0;
    const pad = (p: Pixels, size: number): Pixels => {
      const extra = size - (horizontal ? p.height : p.width);
      if (extra <= 0) return p;
      const before = Math.floor(extra / 2);
      return horizontal ? placeOn(p, p.width, size, 0, before, padValue) : placeOn(p, size, p.height, before, 0, padValue);
    };
    const size = horizontal ? Math.max(a.height, b.height) : Math.max(a.width, b.width);
    a = pad(a, size);
    b = pad(b, size);
  }
  const channels = Math.max(a.channels, b.channels);
  if (a.channels < channels) a = withChannels(a, channels);
  if (b.channels < channels) b = withChannels(b, channels);
  const parts = direction === 'left' || direction === 'up' ? [b, a] : [a, b];
  let spacing = num(ctx, 'spacing_width', 0);
  if (spacing > 0) {
    spacing += spacing % 2;
    const sw = horizontal ? spacing : Math.max(a.width, b.width);
    const sh = horizontal ? Math.max(a.height, b.height) : spacing;
    const spacer = pixels(batch, sh, sw, channels);
    const rgb = typeof color === 'number' ? [color, color, color] : color;
    for (let i = 0; i < batch * sw * sh; i += 1) {
      for (let ch = 0; ch < Math.min(3, channels); ch += 1) spacer.data[i * channels + ch] = rgb[ch]!;
      if (channels === 4) spacer.data[i * channels + 3] = 1;
    }
    parts.splice(1, 0, spacer);
  }
  const out = concat(parts, horizontal);
  await chargePixels(ctx, env, 'pointwise', out.data.length);
  return { outputs: [ImageValue.ofPixels(out, image1.cards)] };
};

/**
 * PorterDuffImageComposite: per frame (min of the four batches), the destination alpha and the
 * source image and alpha bicubic-resized (centre crop) to the destination when they differ.
 */
const porterDuffComposite: NodeHandler = async (ctx, env) => {
  const source = input(ctx, 'source', ImageValue)!;
  const destination = input(ctx, 'destination', ImageValue)!;
  const sourceAlpha = input(ctx, 'source_alpha', MaskValue)!;
  const destinationAlpha = input(ctx, 'destination_alpha', MaskValue)!;
  const [src, dst] = [await imagePixels(source, env.cards), await imagePixels(destination, env.cards)];
  const [srcMask, dstMask] = [maskPixels(sourceAlpha), maskPixels(destinationAlpha)];
  const batch = Math.min(source.batch, destination.batch, sourceAlpha.batch, destinationAlpha.batch);
  if (!src || !dst || !srcMask || !dstMask) {
    return { outputs: [new ImageValue(destination.width, destination.height, batch, destination.cards.slice(0, batch)), new MaskValue(destination.width, destination.height, batch)] };
  }
  const { width: w, height: h } = dst;
  const fit = (p: Pixels) => (p.width === w && p.height === h ? p : upscale(p, w, h, 'bicubic', 'center'));
  const s = fit(src);
  const da = fit(dstMask);
  const sa = srcMask.width === da.width && srcMask.height === da.height ? srcMask : upscale(srcMask, da.width, da.height, 'bicubic', 'center');
  const mode = str(ctx, 'mode', 'DST') as PorterDuffMode;
  const c = dst.channels;
  const image = pixels(batch, h, w, c);
  const alpha = pixels(batch, h, w, 1);
  for (let b = 0; b < batch; b += 1) {
    for (let i = 0; i < w * h; i += 1) {
      const at = b * w * h + i;
      for (let ch = 0; ch < c; ch += 1) {
        const [v, m] = porterDuff(s.data[at * c + ch]!, sa.data[at]!, dst.data[at * c + ch]!, da.data[at]!, mode);
        image.data[at * c + ch] = v;
        alpha.data[at] = m;
      }
    }
  }
  await chargePixels(ctx, env, 'composite', image.data.length);
  return { outputs: [ImageValue.ofPixels(image, destination.cards.slice(0, batch)), MaskValue.ofPixels(alpha)] };
};

export const imageTransformHandlers: Record<string, NodeHandler> = {
  ImageRotate: imageRotate,
  ImageFlip: imageFlip,
  ResizeAndPadImage: resizeAndPad,
  ImageStitch: imageStitch,
  PorterDuffImageComposite: porterDuffComposite,
};
