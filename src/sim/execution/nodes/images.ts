import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { modelCost } from '../../../catalog/cost/model-costs.js';
import { type NodeHandler, input, num, spend, str } from '../env.js';
import { NodeFailure, type NodeExecutionContext } from '../node-executor.js';
import { frame, nodeTraceback } from '../traceback.js';
import { ImageValue, LoadedFileValue, MaskValue, effectiveFill, type CardSpec } from '../values.js';

/** `name [input]` / `name [output]` annotations of LoadImage pick the folder. */
export function annotatedPath(name: string, dirs: NodeExecutionContext['dirs']): string {
  const m = /^(.*) \[(input|output|temp)\]$/.exec(name);
  const root = m ? dirs[m[2] as 'input' | 'output' | 'temp'] : dirs.input;
  return join(root, m ? m[1]! : name);
}

function sourceCards(ctx: NodeExecutionContext, text: string, width: number, height: number, count: number): CardSpec[] {
  return Array.from({ length: count }, (_, frameIndex) => ({ text, nodeId: ctx.nodeId, classType: ctx.classType, frame: frameIndex, width, height }));
}

/** LoadImage / LoadImageMask: the real file's size and frame count (sharp reads it). */
const loadImage: NodeHandler = async (ctx) => {
  const name = str(ctx, 'image');
  const path = annotatedPath(name, ctx.dirs);
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch {
    throw new NodeFailure('FileNotFoundError', `[Errno 2] No such file or directory: '${path}'`, nodeTraceback(frame('nodes.py', 1667, 'load_image', 'img = node_helpers.pillow(Image.open, image_path)')));
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  const batch = meta.pages ?? 1;
  const image = new ImageValue(width, height, batch, sourceCards(ctx, `input image: ${name}`, width, height, batch), { kind: 'file', path });
  // Without alpha ComfyUI returns a 64×64 zero mask.
  const mask = meta.hasAlpha ? new MaskValue(width, height, batch) : new MaskValue(64, 64, 1, 0);
  return { outputs: ctx.def.output.map((t) => (t === 'IMAGE' ? image : t === 'MASK' ? mask : undefined)) };
};

const emptyImage: NodeHandler = async (ctx) => {
  const width = num(ctx, 'width', 512);
  const height = num(ctx, 'height', 512);
  const batch = num(ctx, 'batch_size', 1);
  const color = num(ctx, 'color', 0);
  const rgb: [number, number, number] = [((color >> 16) & 0xff) / 255, ((color >> 8) & 0xff) / 255, (color & 0xff) / 255];
  return { outputs: [new ImageValue(width, height, batch, sourceCards(ctx, `#${color.toString(16).padStart(6, '0')}`, width, height, batch), { kind: 'fill', rgb })] };
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

const imageScale: NodeHandler = async (ctx) => {
  const image = input(ctx, 'image', ImageValue)!;
  let width = num(ctx, 'width', 0);
  let height = num(ctx, 'height', 0);
  if (ctx.classType === 'ImageScaleBy') {
    width = Math.round(image.width * num(ctx, 'scale_by', 1));
    height = Math.round(image.height * num(ctx, 'scale_by', 1));
  } else if (ctx.classType === 'ImageScaleToTotalPixels') {
    const scale = Math.sqrt((num(ctx, 'megapixels', 1) * 1024 * 1024) / (image.width * image.height));
    width = Math.round(image.width * scale);
    height = Math.round(image.height * scale);
  } else if (ctx.classType === 'ImageScaleToMaxDimension') {
    // The longest side becomes largest_size, the other keeps the aspect (nodes_images.py).
    const largest = num(ctx, 'largest_size', 512);
    width = image.width >= image.height ? largest : Math.round((image.width / image.height) * largest);
    height = image.height >= image.width ? largest : Math.round((image.height / image.width) * largest);
  } else if (ctx.classType === 'FluxKontextImageScale') {
    ({ width, height } = kontextSize(image.width, image.height));
  } else {
    // 0 keeps the aspect ratio from the other side, as comfy.utils.common_upscale callers do.
    if (width === 0 && height === 0) return { outputs: [image] };
    if (width === 0) width = Math.max(1, Math.round(image.width * (height / image.height)));
    if (height === 0) height = Math.max(1, Math.round(image.height * (width / image.width)));
  }
  return { outputs: [image.withOp({ op: 'scale', width, height })] };
};

const imageInvert: NodeHandler = async (ctx) => ({ outputs: [input(ctx, 'image', ImageValue)!.withOp({ op: 'invert' })] });

/** ImageBlur pads with `reflect`, which torch refuses when the radius reaches the image size. */
const imageBlur: NodeHandler = async (ctx) => {
  const image = input(ctx, 'image', ImageValue)!;
  const radius = num(ctx, 'blur_radius', 1);
  if (radius === 0) return { outputs: [image] };
  if (radius >= image.width || radius >= image.height) {
    const dimension = radius >= image.width ? 3 : 2;
    throw new NodeFailure(
      'RuntimeError',
      `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${radius}, ${radius}) at dimension ${dimension} of input 4`,
      nodeTraceback(
        frame('comfy_api/internal/__init__.py', 149, 'wrapped_func', 'return method(locked_class, **inputs)'),
        frame('comfy_api/latest/_io.py', 1270, 'EXECUTE_NORMALIZED', 'to_return = cls.execute(*args, **kwargs)'),
        frame('comfy_extras/nodes_post_processing.py', 98, 'execute', "padded_image = F.pad(image, (blur_radius,blur_radius,blur_radius,blur_radius), 'reflect')"),
      ),
    );
  }
  return { outputs: [image.withOp({ op: 'blur', radius, sigma: num(ctx, 'sigma', 1) })] };
};

/** Blend of two solid colours is computed exactly; otherwise image1's content wins. */
const imageBlend: NodeHandler = async (ctx) => {
  const a = input(ctx, 'image1', ImageValue)!;
  const b = input(ctx, 'image2', ImageValue);
  const fa = effectiveFill(a);
  const fb = b ? effectiveFill(b) : undefined;
  if (fa && fb && ['normal', 'multiply', 'screen', 'difference'].includes(str(ctx, 'blend_mode', 'normal'))) {
    const f = num(ctx, 'blend_factor', 0.5);
    const mode = str(ctx, 'blend_mode', 'normal');
    const mixed = fa.map((x, i) => {
      const y = fb[i]!;
      const blended = mode === 'multiply' ? x * y : mode === 'screen' ? 1 - (1 - x) * (1 - y) : mode === 'difference' ? Math.abs(x - y) : y;
      return x * (1 - f) + blended * f;
    }) as [number, number, number];
    return { outputs: [new ImageValue(a.width, a.height, a.batch, a.cards, { kind: 'fill', rgb: mixed })] };
  }
  return { outputs: [a] };
};

const imageBatch: NodeHandler = async (ctx) => {
  const a = input(ctx, 'image1', ImageValue)!;
  const b = input(ctx, 'image2', ImageValue)!;
  const cards = [...a.cards, ...b.cards].map((c, i) => ({ ...c, frame: i, width: a.width, height: a.height }));
  const sameSource = JSON.stringify(a.source) === JSON.stringify(b.source) && JSON.stringify(a.ops) === JSON.stringify(b.ops);
  return { outputs: [new ImageValue(a.width, a.height, a.batch + b.batch, cards, sameSource ? a.source : undefined, sameSource ? a.ops : [])] };
};

const repeatImageBatch: NodeHandler = async (ctx) => {
  const image = input(ctx, 'image', ImageValue)!;
  const amount = num(ctx, 'amount', 1);
  const cards = Array.from({ length: amount }, () => image.cards).flat().map((c, i) => ({ ...c, frame: i }));
  return { outputs: [new ImageValue(image.width, image.height, image.batch * amount, cards, image.source, image.ops, image.alpha)] };
};

const imageFromBatch: NodeHandler = async (ctx) => {
  const image = input(ctx, 'image', ImageValue)!;
  const start = Math.min(num(ctx, 'batch_index', 0), image.batch - 1);
  const length = Math.min(image.batch - start, num(ctx, 'length', 1));
  return { outputs: [new ImageValue(image.width, image.height, length, image.cards.slice(start, start + length), image.source, image.ops, image.alpha)] };
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

const solidMask: NodeHandler = async (ctx) => ({ outputs: [new MaskValue(num(ctx, 'width', 512), num(ctx, 'height', 512), 1, num(ctx, 'value', 1))] });

const imageToMask: NodeHandler = async (ctx) => {
  const image = input(ctx, 'image', ImageValue)!;
  return { outputs: [new MaskValue(image.width, image.height, image.batch)] };
};

/** GetImageSize: (width, height, batch_size) of the IMAGE. */
const getImageSize: NodeHandler = async (ctx) => {
  const image = input(ctx, 'image', ImageValue)!;
  return { outputs: [image.width, image.height, image.batch] };
};

/** JoinImageWithAlpha: the same pixels, now RGBA. */
const joinImageWithAlpha: NodeHandler = async (ctx) => ({ outputs: [input(ctx, 'image', ImageValue)!.withAlpha()] });

export const imageHandlers: Record<string, NodeHandler> = {
  LoadImage: loadImage,
  LoadImageMask: loadImage,
  LoadImageOutput: loadImage,
  EmptyImage: emptyImage,
  ImageScale: imageScale,
  ImageScaleBy: imageScale,
  ImageScaleToTotalPixels: imageScale,
  ImageScaleToMaxDimension: imageScale,
  FluxKontextImageScale: imageScale,
  GetImageSize: getImageSize,
  JoinImageWithAlpha: joinImageWithAlpha,
  ImageInvert: imageInvert,
  ImageBlur: imageBlur,
  ImageBlend: imageBlend,
  ImageBatch: imageBatch,
  RepeatImageBatch: repeatImageBatch,
  ImageFromBatch: imageFromBatch,
  ImageUpscaleWithModel: upscaleWithModel,
  SolidMask: solidMask,
  ImageToMask: imageToMask,
};
