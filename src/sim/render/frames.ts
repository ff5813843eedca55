import sharp from 'sharp';
import { frameBytes, fromBytes, MAX_PIXEL_VALUES, pixels as filled, type Pixels } from '../execution/pixels/pixels.js';
import { effectiveFill, type ImageValue, type PixelOp } from '../execution/values.js';
import { alphaPlane } from '../execution/nodes/alpha.js';
import type { CardRenderer } from './card.js';

/**
 * The raw RGB frames of an IMAGE batch: real pixels when the image has a pixel source (a
 * solid colour from EmptyImage, a file from LoadImage) and storyboard cards otherwise, each
 * with the image's pixel operations applied (ImageInvert really inverts).
 */
export async function* imageFrames(image: ImageValue, cards: CardRenderer): AsyncGenerator<Buffer> {
  const { width, height, batch } = image;
  const source = image.source;
  if (source?.kind === 'fill') {
    const [r, g, b] = effectiveFill(image)!.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255)) as [number, number, number];
    const frame = Buffer.alloc(width * height * 3);
    for (let i = 0; i < frame.length; i += 3) {
      frame[i] = r;
      frame[i + 1] = g;
      frame[i + 2] = b;
    }
    for (let i = 0; i < batch; i += 1) yield frame;
    return;
  }
  if (source?.kind === 'pixels') {
    const p = source.pixels;
    for (let i = 0; i < batch; i += 1) {
      let current: Raw = { data: frameBytes(p, Math.min(i, p.batch - 1), 3), width: p.width, height: p.height };
      for (const op of image.ops) current = await applyOp(current, op);
      yield current.data;
    }
    return;
  }
  if (source?.kind === 'file') {
    const pixels = await sharp(source.path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let current: Raw = { data: pixels.data, width: pixels.info.width, height: pixels.info.height };
    for (const op of image.ops) current = await applyOp(current, op);
    if (current.width !== width || current.height !== height) current = await applyOp(current, { op: 'scale', width, height });
    for (let i = 0; i < batch; i += 1) yield current.data;
    return;
  }
  const total = image.cards.length;
  for (let i = 0; i < batch; i += 1) {
    const card = image.cards[i] ?? image.cards.at(-1);
    let frame = card ? await cards.frame({ ...card, width, height }, total) : Buffer.alloc(width * height * 3);
    for (const op of image.ops) {
      if (op.op === 'scale') continue; // cards are drawn at the final size
      frame = (await applyOp({ data: frame, width, height }, op)).data;
    }
    yield frame;
  }
}

/**
 * Raw RGBA frames of an RGBA IMAGE: computed pixels keep their own alpha (JoinImageWithAlpha);
 * model outputs (a layered VAE's decode) get the emulator's stand-in alpha plane.
 */
export async function* imageRgbaFrames(image: ImageValue, cards: CardRenderer): AsyncGenerator<Buffer> {
  const known = image.pixels;
  if (known && known.channels === 4) {
    for (let b = 0; b < image.batch; b += 1) yield frameBytes(known, Math.min(b, known.batch - 1), 4);
    return;
  }
  const plane = alphaPlane(image.width, image.height);
  for await (const frame of imageFrames(image, cards)) {
    const out = Buffer.allocUnsafe(plane.length * 4);
    for (let i = 0; i < plane.length; i += 1) {
      out[i * 4] = frame[i * 3]!;
      out[i * 4 + 1] = frame[i * 3 + 1]!;
      out[i * 4 + 2] = frame[i * 3 + 2]!;
      out[i * 4 + 3] = plane[i]!;
    }
    yield out;
  }
}

/**
 * The IMAGE as a float tensor [B,H,W,C], as the node that receives it in ComfyUI would see it:
 * computed pixels as they are, a solid colour exactly (c/255 in float32), anything else from its
 * 8-bit frames (files, cards, pending ops). Undefined when the tensor would be too large to hold.
 */
export async function imagePixels(image: ImageValue, cards: CardRenderer): Promise<Pixels | undefined> {
  const known = image.pixels;
  if (known) return known;
  const channels = image.alpha ? 4 : 3;
  if (image.batch * image.width * image.height * channels > MAX_PIXEL_VALUES) return undefined;
  if (image.source?.kind === 'fill' && image.ops.every((o) => o.op !== 'blur')) {
    const rgb = effectiveFill(image)!;
    const p = filled(image.batch, image.height, image.width, channels, 1);
    for (let i = 0; i < p.data.length; i += channels) for (let ch = 0; ch < 3; ch += 1) p.data[i + ch] = rgb[ch]!;
    return p;
  }
  const list: Buffer[] = [];
  for await (const frame of imageFrames(image, cards)) list.push(frame);
  const rgb = fromBytes(list, image.width, image.height, 3);
  if (!image.alpha) return rgb;
  const plane = alphaPlane(image.width, image.height);
  const p = filled(image.batch, image.height, image.width, 4);
  for (let i = 0, n = image.batch * image.width * image.height; i < n; i += 1) {
    p.data.set(rgb.data.subarray(i * 3, i * 3 + 3), i * 4);
    p.data[i * 4 + 3] = plane[i % plane.length]! / 255;
  }
  return p;
}

interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

async function applyOp(input: Raw, op: PixelOp): Promise<Raw> {
  if (op.op === 'invert') {
    const out = Buffer.allocUnsafe(input.data.length);
    for (let i = 0; i < out.length; i += 1) out[i] = 255 - input.data[i]!;
    return { ...input, data: out };
  }
  let pipeline = sharp(input.data, { raw: { width: input.width, height: input.height, channels: 3 } });
  if (op.op === 'scale') pipeline = pipeline.resize(op.width, op.height, { fit: 'fill', kernel: 'nearest' });
  if (op.op === 'blur' && op.radius > 0) pipeline = pipeline.blur(Math.max(0.3, op.sigma));
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Encodes one raw RGB frame as PNG (compression like ComfyUI: 4 for outputs, 1 for previews). */
export function pngOf(frame: Buffer, width: number, height: number, compressionLevel: number): Promise<Buffer> {
  return sharp(frame, { raw: { width, height, channels: 3 } }).png({ compressionLevel }).toBuffer();
}
