import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { modelCost } from '../../../catalog/cost/model-costs.js';
import { imagePixels } from '../../render/frames.js';
import { chargePixels } from '../../cost/image-op-cost.js';
import { type NodeHandler, input, num, spend, str } from '../env.js';
import { NodeFailure, type NodeExecutionContext } from '../node-executor.js';
import { frame, nodeTraceback } from '../traceback.js';
import { blend, compositeMasked, padForOutpaint, type BlendMode } from '../pixels/compose.js';
import { gaussianBlur, sharpen } from '../pixels/filters.js';
import { concatBatches, crop, frames, fromBytes, map, MAX_PIXEL_VALUES, pixels, repeatToBatch, upscale } from '../pixels/pixels.js';
import { isUpscaleMethod, pyRound, type UpscaleMethod } from '../pixels/resample.js';
import { ImageValue, LoadedFileValue, MaskValue, type CardSpec } from '../values.js';
import { maskPixels } from './masks.js';

/** `name [input]` / `name [output]` annotations of LoadImage pick the folder. */
export function annotatedPath(name: string, dirs: NodeExecutionContext['dirs']): string {
  const m = /^(.*) \[(input|output|temp)\]$/.exec(name);
  const root = m ? dirs[m[2] as 'input' | 'output' | 'temp'] : dirs.input;
  return join(root, m ? m[1]! : name);
}

function sourceCards(ctx: NodeExecutionContext, text: string, width: number, height: number, count: number): CardSpec[] {
  return Array.from({ length: count }, (_, frameIndex) => ({ text, nodeId: ctx.nodeId, classType: ctx.classType, frame: frameIndex, width, height }));
}

/** Decoded frames of an image file: RGB (PIL's convert("RGB")) and its alpha plane when it has one. */
async function decodeFrames(path: string, meta: Metadata): Promise<{ rgb: Buffer[]; alpha?: Buffer[]; width: number; height: number }> {
  const pages = meta.pages ?? 1;
  let decoder = sharp(path, { pages: pages > 1 ? -1 : 1 });
  // PIL's ImageOps.exif_transpose: an EXIF orientation turns the picture upright.
  if ((meta.orientation ?? 1) > 1 && pages === 1) decoder = decoder.rotate();
  const { data, info } = await decoder.toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const width = info.width;
  const height = info.pageHeight ?? info.height;
  const count = Math.max(1, Math.floor(info.height / height));
  const rgb: Buffer[] = [];
  const alpha: Buffer[] = [];
  for (let f = 0; f < count; f += 1) {
    const frameRgb = Buffer.allocUnsafe(width * height * 3);
    const frameAlpha = Buffer.allocUnsafe(width * height);
    for (let i = 0, j = f * width * height * 4; i < width * height; i += 1, j += 4) {
      frameRgb[i * 3] = data[j]!;
      frameRgb[i * 3 + 1] = data[j + 1]!;
      frameRgb[i * 3 + 2] = data[j + 2]!;
      frameAlpha[i] = data[j + 3]!;
    }
    rgb.push(frameRgb);
    alpha.push(frameAlpha);
  }
  return meta.hasAlpha ? { rgb, alpha, width, height } : { rgb, width, height };
}

function missingFile(path: string): NodeFailure {
  return new NodeFailure('FileNotFoundError', `[Errno 2] No such file or directory: '${path}'`, nodeTraceback(frame('nodes.py', 1667, 'load_image', 'img = node_helpers.pillow(Image.open, image_path)')));
}

/** The input file a loader names, its metadata and frame size; ComfyUI's FileNotFoundError when absent. */
async function inputImage(ctx: Parameters<NodeHandler>[0]): Promise<{ name: string; path: string; meta: Metadata; width: number; height: number }> {
  const name = str(ctx, 'image');
  const path = annotatedPath(name, ctx.dirs);
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch {
    throw missingFile(path);
  }
  return { name, path, meta, width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0 };
}

/**
 * LoadImage: the file's RGB as floats and MASK = 1 − alpha; without alpha ComfyUI returns a
 * 64×64 zero mask. Frames of an animation are stacked into the batch.
 */
const loadImage: NodeHandler = async (ctx) => {
  const { name, path, meta, width, height } = await inputImage(ctx);
  const batch = meta.pages ?? 1;
  const cards = sourceCards(ctx, `input image: ${name}`, width, height, batch);
  if (batch * width * height * 3 > MAX_PIXEL_VALUES) {
    const image = new ImageValue(width, height, batch, cards, { kind: 'file', path });
    const mask = meta.hasAlpha ? new MaskValue(width, height, batch) : new MaskValue(64, 64, 1, 0);
    return { outputs: ctx.def.output.map((t) => (t === 'IMAGE' ? image : t === 'MASK' ? mask : undefined)) };
  }
  const decoded = await decodeFrames(path, meta);
  const image = ImageValue.ofPixels(fromBytes(decoded.rgb, decoded.width, decoded.height, 3), sourceCards(ctx, `input image: ${name}`, decoded.width, decoded.height, decoded.rgb.length));
  const mask = decoded.alpha ? MaskValue.ofPixels(map(fromBytes(decoded.alpha, decoded.width, decoded.height, 1), (a) => 1 - a)) : MaskValue.ofPixels(pixels(1, 64, 64, 1));
  return { outputs: ctx.def.output.map((t) => (t === 'IMAGE' ? image : t === 'MASK' ? mask : undefined)) };
};

/** LoadImageMask: one channel of the RGBA conversion; alpha is inverted (1 − A). */
const loadImageMask: NodeHandler = async (ctx) => {
  const { path, meta, width, height } = await inputImage(ctx);
  if (width * height > MAX_PIXEL_VALUES) return { outputs: [new MaskValue(width, height, 1)] };
  const decoded = await decodeFrames(path, { ...meta, pages: 1 });
  const index = ['red', 'green', 'blue', 'alpha'].indexOf(str(ctx, 'channel', 'alpha'));
  const mask = pixels(1, decoded.height, decoded.width, 1);
  const rgb = decoded.rgb[0]!;
  const alpha = decoded.alpha?.[0];
  for (let i = 0; i < decoded.width * decoded.height; i += 1) {
    // float32 as numpy: (uint8 / 255.0).astype(float32), then 1 - mask in float32.
    const v = Math.fround((index === 3 ? (alpha ? alpha[i]! : 255) : rgb[i * 3 + Math.max(0, index)]!) / 255);
    mask.data[i] = index === 3 ? 1 - v : v;
  }
  return { outputs: [MaskValue.ofPixels(mask)] };
};

/** EmptyImage: each channel is (color >> shift & 0xFF) / 0xFF in float32, like torch.full. */
const emptyImage: NodeHandler = async (ctx) => {
  const width = num(ctx, 'width', 512);
  const height = num(ctx, 'height', 512);
  const batch = num(ctx, 'batch_size', 1);
  const color = num(ctx, 'color', 0);
  const rgb: [number, number, number] = [((color >> 16) & 0xff) / 255, ((color >> 8) & 0xff) / 255, (color & 0xff) / 255];
  const cards = sourceCards(ctx, `#${color.toString(16).padStart(6, '0')}`, width, height, batch);
  if (batch * width * height * 3 > MAX_PIXEL_VALUES) return { outputs: [new ImageValue(width, height, batch, cards, { kind: 'fill', rgb })] };
  const p = pixels(batch, height, width, 3);
  for (let i = 0; i < p.data.length; i += 3) p.data.set(rgb, i);
  return { outputs: [ImageValue.ofPixels(p, cards)] };
};

/** PREFERED_KONTEXT_RESOLUTIONS of comfy_extras/nodes_flux.py, as (width, height). */
const KONTEXT_SIZES: readonly (readonly [number, number])[] = [
  [672, 1568], [688, 1504], [720, 1456], [752, 1392], [800, 1328], [832, 1248], [880, 1184], [944, 1104], [1024, 1024],
  [1104, 944], [1184, 880], [1248, 832], [1328, 800], [1392, 752], [1456, 720], [1504, 688], [1568, 672],
];

/** FluxKontextImageScale: the preferred size whose aspect ratio is closest to the image's. */
export function kontextSize(width: number, height: number): { width: number; height: number } {
  const aspect = width / height;
  let best = KONTEXT_SIZES[0]!;
  for (const size of KONTEXT_SIZES) if (Math.abs(aspect - size[0] / size[1]) < Math.abs(aspect - best[0] / best[1])) best = size;
  return { width: best[0], height: best[1] };
}

/** The size ImageScale* nodes ask common_upscale for (Python's round, banker's halves). */
function scaleTarget(ctx: NodeExecutionContext, image: ImageValue): { width: number; height: number } | undefined {
  switch (ctx.classType) {
    case 'ImageScaleBy': {
      const by = num(ctx, 'scale_by', 1);
      return { width: pyRound(image.width * by), height: pyRound(image.height * by) };
    }
    case 'ImageScaleToTotalPixels': {
      const scale = Math.sqrt(Math.trunc(num(ctx, 'megapixels', 1) * 1024 * 1024) / (image.width * image.height));
      return { width: pyRound(image.width * scale), height: pyRound(image.height * scale) };
    }
    case 'ImageScaleToMaxDimension': {
      // The longest side becomes largest_size, the other keeps the aspect (nodes_images.py).
      const largest = num(ctx, 'largest_size', 512);
      return {
        width: image.width >= image.height ? largest : pyRound((image.width / image.height) * largest),
        height: image.height >= image.width ? largest : pyRound((image.height / image.width) * largest),
      };
    }
    case 'FluxKontextImageScale':
      return kontextSize(image.width, image.height);
    default: {
      let width = num(ctx, 'width', 0);
      let height = num(ctx, 'height', 0);
      if (width === 0 && height === 0) return undefined;
      if (width === 0) width = Math.max(1, pyRound((image.width * height) / image.height));
      else if (height === 0) height = Math.max(1, pyRound((image.height * width) / image.width));
      return { width, height };
    }
  }
}

const imageScale: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const target = scaleTarget(ctx, image);
  if (!target) return { outputs: [image] };
  const method = str(ctx, 'upscale_method', ctx.classType === 'FluxKontextImageScale' ? 'lanczos' : 'nearest-exact');
  const cropMode = ctx.classType === 'ImageScale' && str(ctx, 'crop', 'disabled') === 'center' ? 'center' : 'disabled';
  const p = isUpscaleMethod(method) ? await imagePixels(image, env.cards) : undefined;
  if (!p) return { outputs: [image.withOp({ op: 'scale', ...target })] };
  await chargePixels(ctx, env, `resample:${method as UpscaleMethod}`, target.width * target.height * p.batch * p.channels);
  return { outputs: [ImageValue.ofPixels(upscale(p, target.width, target.height, method as UpscaleMethod, cropMode), image.cards)] };
};

const imageInvert: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const p = await imagePixels(image, env.cards);
  if (!p) return { outputs: [image.withOp({ op: 'invert' })] };
  await chargePixels(ctx, env, 'pointwise', p.data.length);
  return { outputs: [ImageValue.ofPixels(map(p, (v) => 1 - v), image.cards)] };
};

/** torch refuses 'reflect' padding as wide as the image; ImageBlur and ImageSharpen both pad so. */
function reflectPadFailure(image: ImageValue, radius: number, line: number, code: string): NodeFailure {
  const dimension = radius >= image.width ? 3 : 2;
  return new NodeFailure(
    'RuntimeError',
    `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${radius}, ${radius}) at dimension ${dimension} of input 4`,
    nodeTraceback(
      frame('comfy_api/internal/__init__.py', 149, 'wrapped_func', 'return method(locked_class, **inputs)'),
      frame('comfy_api/latest/_io.py', 1270, 'EXECUTE_NORMALIZED', 'to_return = cls.execute(*args, **kwargs)'),
      frame('comfy_extras/nodes_post_processing.py', line, 'execute', code),
    ),
  );
}

const imageBlur: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const radius = num(ctx, 'blur_radius', 1);
  if (radius === 0) return { outputs: [image] };
  if (radius >= image.width || radius >= image.height) {
    throw reflectPadFailure(image, radius, 98, "padded_image = F.pad(image, (blur_radius,blur_radius,blur_radius,blur_radius), 'reflect')");
  }
  const sigma = num(ctx, 'sigma', 1);
  const p = await imagePixels(image, env.cards);
  if (!p) return { outputs: [image.withOp({ op: 'blur', radius, sigma })] };
  await chargePixels(ctx, env, 'convolution', p.data.length * (2 * radius + 1) ** 2);
  return { outputs: [ImageValue.ofPixels(gaussianBlur(p, radius, sigma), image.cards)] };
};

const imageSharpen: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const radius = num(ctx, 'sharpen_radius', 1);
  if (radius === 0) return { outputs: [image] };
  if (radius >= image.width || radius >= image.height) {
    throw reflectPadFailure(image, radius, 203, "tensor_image = F.pad(tensor_image, (sharpen_radius,sharpen_radius,sharpen_radius,sharpen_radius), 'reflect')");
  }
  const p = await imagePixels(image, env.cards);
  if (!p) return { outputs: [image] };
  await chargePixels(ctx, env, 'convolution', p.data.length * (2 * radius + 1) ** 2);
  return { outputs: [ImageValue.ofPixels(sharpen(p, radius, num(ctx, 'sigma', 1), num(ctx, 'alpha', 1)), image.cards)] };
};

function broadcastFailure(a: number, b: number): NodeFailure {
  return new NodeFailure('RuntimeError', `The size of tensor a (${a}) must match the size of tensor b (${b}) at non-singleton dimension 0`);
}

const imageBlend: NodeHandler = async (ctx, env) => {
  const a = input(ctx, 'image1', ImageValue)!;
  const b = input(ctx, 'image2', ImageValue)!;
  if (a.batch !== b.batch && a.batch !== 1 && b.batch !== 1) throw broadcastFailure(a.batch, b.batch);
  const pa = await imagePixels(a, env.cards);
  const pb = pa ? await imagePixels(b, env.cards) : undefined;
  if (!pa || !pb) return { outputs: [a] };
  const out = blend(pa, pb, num(ctx, 'blend_factor', 0.5), str(ctx, 'blend_mode', 'normal') as BlendMode);
  await chargePixels(ctx, env, 'blend', out.data.length);
  return { outputs: [ImageValue.ofPixels(out, a.cards)] };
};

/** ImageBatch: image2 is bilinear-resized (centre crop) to image1's size when they differ. */
const imageBatch: NodeHandler = async (ctx, env) => {
  const a = input(ctx, 'image1', ImageValue)!;
  const b = input(ctx, 'image2', ImageValue)!;
  const cards = [...a.cards, ...b.cards].map((c, i) => ({ ...c, frame: i, width: a.width, height: a.height }));
  const pa = await imagePixels(a, env.cards);
  let pb = pa ? await imagePixels(b, env.cards) : undefined;
  if (!pa || !pb) return { outputs: [new ImageValue(a.width, a.height, a.batch + b.batch, cards)] };
  if (pb.width !== pa.width || pb.height !== pa.height || pb.channels !== pa.channels) {
    if (pb.channels !== pa.channels) throw new NodeFailure('RuntimeError', `Sizes of tensors must match except in dimension 0. Expected size ${pa.channels} but got size ${pb.channels} for tensor number 1 in the list.`);
    pb = upscale(pb, pa.width, pa.height, 'bilinear', 'center');
    await chargePixels(ctx, env, 'resample:bilinear', pb.data.length);
  }
  return { outputs: [ImageValue.ofPixels(concatBatches(pa, pb), cards)] };
};

const repeatImageBatch: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const amount = num(ctx, 'amount', 1);
  const cards = Array.from({ length: amount }, () => image.cards).flat().map((c, i) => ({ ...c, frame: i }));
  const p = await imagePixels(image, env.cards);
  if (!p || p.data.length * amount > MAX_PIXEL_VALUES) return { outputs: [new ImageValue(image.width, image.height, image.batch * amount, cards, image.source, image.ops, image.alpha)] };
  return { outputs: [ImageValue.ofPixels(repeatToBatch(p, p.batch * amount), cards)] };
};

const imageFromBatch: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const start = Math.min(num(ctx, 'batch_index', 0), image.batch - 1);
  const length = Math.min(image.batch - start, num(ctx, 'length', 1));
  const cards = image.cards.slice(start, start + length);
  const p = await imagePixels(image, env.cards);
  if (!p) return { outputs: [new ImageValue(image.width, image.height, length, cards, image.source, image.ops, image.alpha)] };
  return { outputs: [ImageValue.ofPixels(frames(p, start, length), cards)] };
};

/** ImageCrop: x and y are clamped to the last column/row; the window is cut at the edges. */
const imageCrop: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const x = Math.min(num(ctx, 'x', 0), image.width - 1);
  const y = Math.min(num(ctx, 'y', 0), image.height - 1);
  const width = num(ctx, 'width', 512);
  const height = num(ctx, 'height', 512);
  const p = await imagePixels(image, env.cards);
  if (!p) {
    const w = Math.min(image.width, x + width) - x;
    const h = Math.min(image.height, y + height) - y;
    return { outputs: [new ImageValue(w, h, image.batch, image.cards.map((c) => ({ ...c, width: w, height: h })))] };
  }
  return { outputs: [ImageValue.ofPixels(crop(p, x, y, width, height), image.cards)] };
};

const imageCompositeMasked: NodeHandler = async (ctx, env) => {
  const destination = input(ctx, 'destination', ImageValue)!;
  const source = input(ctx, 'source', ImageValue)!;
  const mask = input(ctx, 'mask', MaskValue);
  const pd = await imagePixels(destination, env.cards);
  const ps = pd ? await imagePixels(source, env.cards) : undefined;
  const pm = mask ? maskPixels(mask) : undefined;
  if (!pd || !ps || (mask && !pm)) return { outputs: [destination] };
  const out = compositeMasked(pd, ps, num(ctx, 'x', 0), num(ctx, 'y', 0), ctx.inputs.resize_source === true, pm);
  await chargePixels(ctx, env, 'composite', out.data.length);
  return { outputs: [ImageValue.ofPixels(out, destination.cards)] };
};

const imagePadForOutpaint: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const [left, top, right, bottom] = ['left', 'top', 'right', 'bottom'].map((k) => num(ctx, k, 0)) as [number, number, number, number];
  const p = await imagePixels(image, env.cards);
  const width = image.width + left + right;
  const height = image.height + top + bottom;
  if (!p) return { outputs: [new ImageValue(width, height, image.batch, image.cards.map((c) => ({ ...c, width, height }))), new MaskValue(width, height, 1)] };
  const feathering = num(ctx, 'feathering', 40);
  const out = padForOutpaint(p, left, top, right, bottom, feathering);
  // The feathering loop is a Python double loop over every source pixel: the slow part on any device.
  await chargePixels(ctx, env, 'python-loop', feathering > 0 ? image.width * image.height : 0);
  return { outputs: [ImageValue.ofPixels(out.image, image.cards), MaskValue.ofPixels(out.mask)] };
};

/** ImageUpscaleWithModel: ×4 unless the model's name says ×2/×8; charged per output megapixel. */
const upscaleWithModel: NodeHandler = async (ctx, env) => {
  const model = input(ctx, 'upscale_model', LoadedFileValue);
  const image = input(ctx, 'image', ImageValue)!;
  const factor = Number(/(\d)x|x(\d)/i.exec(model?.file ?? '')?.slice(1).find(Boolean) ?? 4) || 4;
  const cost = modelCost(model?.file ?? '', 'upscaler');
  const ms = (model ? env.gpu.ensureLoaded(model.ref) : 0) + (cost.stepMs * ((image.width * image.height) / cost.refPixels) * image.batch) / env.gpu.profile.speed;
  await spend(ctx, ms);
  return { outputs: [image.withOp({ op: 'scale', width: image.width * factor, height: image.height * factor })] };
};

/** GetImageSize: (width, height, batch_size) of the IMAGE. */
const getImageSize: NodeHandler = async (ctx) => {
  const image = input(ctx, 'image', ImageValue)!;
  return { outputs: [image.width, image.height, image.batch] };
};

/**
 * JoinImageWithAlpha: RGB plus alpha = 1 − mask (bilinear-resized to the image), over
 * min(image, mask) frames; SplitImageWithAlpha undoes it (an RGB image has alpha 1).
 */
const joinImageWithAlpha: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const alpha = input(ctx, 'alpha', MaskValue);
  const p = await imagePixels(image, env.cards);
  const m = alpha ? maskPixels(alpha) : undefined;
  if (!p || !m) return { outputs: [image.withAlpha()] };
  const resized = upscale(m, p.width, p.height, 'bilinear');
  const batch = Math.min(p.batch, resized.batch);
  const out = pixels(batch, p.height, p.width, 4);
  for (let i = 0, n = batch * p.width * p.height; i < n; i += 1) {
    for (let ch = 0; ch < 3; ch += 1) out.data[i * 4 + ch] = p.data[i * p.channels + ch]!;
    out.data[i * 4 + 3] = 1 - resized.data[i]!;
  }
  return { outputs: [ImageValue.ofPixels(out, image.cards.slice(0, batch))] };
};

const splitImageWithAlpha: NodeHandler = async (ctx, env) => {
  const image = input(ctx, 'image', ImageValue)!;
  const p = await imagePixels(image, env.cards);
  if (!p) return { outputs: [new ImageValue(image.width, image.height, image.batch, image.cards), new MaskValue(image.width, image.height, image.batch)] };
  const rgb = pixels(p.batch, p.height, p.width, 3);
  const mask = pixels(p.batch, p.height, p.width, 1);
  for (let i = 0, n = p.batch * p.width * p.height; i < n; i += 1) {
    for (let ch = 0; ch < 3; ch += 1) rgb.data[i * 3 + ch] = p.data[i * p.channels + ch]!;
    mask.data[i] = 1 - (p.channels > 3 ? p.data[i * p.channels + 3]! : 1);
  }
  return { outputs: [ImageValue.ofPixels(rgb, image.cards), MaskValue.ofPixels(mask)] };
};

export const imageHandlers: Record<string, NodeHandler> = {
  LoadImage: loadImage,
  LoadImageMask: loadImageMask,
  LoadImageOutput: loadImage,
  EmptyImage: emptyImage,
  ImageScale: imageScale,
  ImageScaleBy: imageScale,
  ImageScaleToTotalPixels: imageScale,
  ImageScaleToMaxDimension: imageScale,
  FluxKontextImageScale: imageScale,
  GetImageSize: getImageSize,
  JoinImageWithAlpha: joinImageWithAlpha,
  SplitImageWithAlpha: splitImageWithAlpha,
  ImageInvert: imageInvert,
  ImageBlur: imageBlur,
  ImageSharpen: imageSharpen,
  ImageCrop: imageCrop,
  ImageCompositeMasked: imageCompositeMasked,
  ImagePadForOutpaint: imagePadForOutpaint,
  ImageBlend: imageBlend,
  ImageBatch: imageBatch,
  RepeatImageBatch: repeatImageBatch,
  ImageFromBatch: imageFromBatch,
  ImageUpscaleWithModel: upscaleWithModel,
};
