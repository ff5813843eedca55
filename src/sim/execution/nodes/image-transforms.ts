import { imagePixels } from '../../render/frames.js';
import { chargePixels } from '../../cost/image-op-cost.js';
import { type NodeHandler, input, num, str } from '../env.js';
import { upscale } from '../pixels/pixels.js';
import { isUpscaleMethod } from '../pixels/resample.js';
import { flip, placeOn, rotateClockwise } from '../pixels/transform.js';
import { ImageValue } from '../values.js';

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

export const imageTransformHandlers: Record<string, NodeHandler> = {
  ImageRotate: imageRotate,
  ImageFlip: imageFlip,
  ResizeAndPadImage: resizeAndPad,
};
