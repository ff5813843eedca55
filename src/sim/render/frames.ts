import sharp from 'sharp';
import { effectiveFill, type ImageValue, type PixelOp } from '../execution/values.js';
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
