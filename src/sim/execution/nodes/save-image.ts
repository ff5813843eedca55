import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { imageFrames, imageRgbaFrames, pngOf } from '../../render/frames.js';
import { pyDumps } from '../../server/py-json.js';
import { type ExecutionEnv, type NodeHandler, input, str } from '../env.js';
import type { NodeExecutionContext } from '../node-executor.js';
import { counterText, saveImagePath } from '../save-path.js';
import { ImageValue, LatentValue } from '../values.js';

/** Chunks PIL writes for an RGB/RGBA image; encoders' extras (sharp's pHYs) are dropped. */
const PIL_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);

/**
 * The PNG as PIL saves it with a PngInfo: IHDR, one `tEXt` per entry (in order), the image data
 * and IEND, and no other ancillary chunk.
 */
export function withPngText(png: Buffer, entries: Record<string, string>): Buffer {
  const chunks = Object.entries(entries).map(([key, value]) => {
    const data = Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0]), Buffer.from(value, 'latin1')]);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write('tEXt', 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  });
  const ihdrEnd = 8 + 8 + 13 + 4; // signature + IHDR header + IHDR data + crc
  const rest: Buffer[] = [];
  for (let at = ihdrEnd; at + 8 <= png.length; ) {
    const end = at + 12 + png.readUInt32BE(at);
    if (PIL_CHUNKS.has(png.toString('latin1', at + 4, at + 8))) rest.push(png.subarray(at, end));
    at = end;
  }
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, ...rest]);
}

/** Python's `json.dumps` (", " / ": " separators, floats as floats, non-ASCII escaped). */
function pythonJson(value: unknown): string {
  return pyDumps(value);
}

/** SaveImage's PngInfo (and SaveLatent's safetensors metadata): `prompt`, then one entry per key of `extra_pnginfo` (the UI puts `workflow` there). */
function pngTextOf(ctx: NodeExecutionContext): Record<string, string> {
  const entries: Record<string, string> = { prompt: pythonJson(ctx.hidden?.prompt ?? ctx.graph) };
  const extra = ctx.hidden?.extraPnginfo;
  if (extra && typeof extra === 'object' && !Array.isArray(extra)) for (const [key, value] of Object.entries(extra)) entries[key] = pythonJson(value);
  return entries;
}

async function saveImages(ctx: NodeExecutionContext, env: ExecutionEnv, root: string, prefix: string, type: 'output' | 'temp', compression: number) {
  const images = input(ctx, 'images', ImageValue)!;
  const { folder, filename, counter, subfolder } = saveImagePath(prefix, root, images.width, images.height, env.now());
  const results: { filename: string; subfolder: string; type: string }[] = [];
  let n = counter;
  let batchNumber = 0;
  // RGBA batches are saved as RGBA PNGs, as PIL does with a 4-channel array.
  const frames = images.alpha ? imageRgbaFrames(images, env.cards) : imageFrames(images, env.cards);
  for await (const frame of frames) {
    const name = `${filename.replaceAll('%batch_num%', String(batchNumber))}_${counterText(n)}_.png`;
    const png = images.alpha
      ? await sharp(frame, { raw: { width: images.width, height: images.height, channels: 4 } }).png({ compressionLevel: compression }).toBuffer()
      : await pngOf(frame, images.width, images.height, compression);
    await writeFile(join(folder, name), withPngText(png, pngTextOf(ctx)));
    results.push({ filename: name, subfolder, type });
    n += 1;
    batchNumber += 1;
  }
  return { outputs: [], ui: { images: results } };
}

const saveImage: NodeHandler = (ctx, env) => saveImages(ctx, env, ctx.dirs.output, str(ctx, 'filename_prefix', 'ComfyUI'), 'output', 4);

/** PreviewImage: temp folder, `ComfyUI_temp_<5 letters>`; the letters live as long as the node object. */
const previewImage: NodeHandler = (ctx, env) => {
  const key = `${ctx.nodeId}:${ctx.classType}`;
  let state = env.nodeState.get(key);
  if (!state) {
    const letters = 'abcdefghijklmnopqrstupvxyz'; // sic: ComfyUI's own alphabet
    const suffix = Array.from({ length: 5 }, () => letters[Math.floor(env.random() * letters.length)]).join('');
    state = { prefix: `ComfyUI_temp_${suffix}` };
    env.nodeState.set(key, state);
  }
  return saveImages(ctx, env, ctx.dirs.temp, String(state.prefix), 'temp', 1);
};

/** SaveLatent: a real safetensors file with the latent's shape (zeros) and ComfyUI's format marker. */
const saveLatent: NodeHandler = async (ctx, env) => {
  const latent = input(ctx, 'samples', LatentValue)!;
  const { folder, filename, counter, subfolder } = saveImagePath(str(ctx, 'filename_prefix', 'latents/ComfyUI'), ctx.dirs.output, 0, 0, env.now());
  const name = `${filename}_${counterText(counter)}_.latent`;
  const h = Math.max(1, Math.floor(latent.height / latent.downscale));
  const w = Math.max(1, Math.floor(latent.width / latent.downscale));
  const shape = latent.frames > 1 ? [latent.batch, latent.channels, latent.temporal, h, w] : [latent.batch, latent.channels, h, w];
  const bytes = shape.reduce((a, b) => a * b, 1) * 4;
  const header = Buffer.from(
    JSON.stringify({
      __metadata__: pngTextOf(ctx),
      latent_tensor: { dtype: 'F32', shape, data_offsets: [0, bytes] },
      latent_format_version_0: { dtype: 'F32', shape: [0], data_offsets: [bytes, bytes] },
    }),
  );
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  await writeFile(join(folder, name), Buffer.concat([size, header, Buffer.alloc(bytes)]));
  return { outputs: [], ui: { latents: [{ filename: name, subfolder, type: 'output' }] } };
};

/** PreviewAny: strings as-is, numbers/booleans via Python's str(), other values via json.dumps or str(). */
const previewAny: NodeHandler = async (ctx) => {
  const source = ctx.inputs.source;
  let text = 'None';
  if (typeof source === 'string') text = source;
  else if (typeof source === 'boolean') text = source ? 'True' : 'False';
  else if (typeof source === 'number') text = String(source);
  else if (Array.isArray(source) || (typeof source === 'object' && source !== null && Object.getPrototypeOf(source) === Object.prototype)) text = pythonJson(source);
  else if (source !== null && source !== undefined) text = String(source);
  return { outputs: [], ui: { text: [text] } };
};

export const saveImageHandlers: Record<string, NodeHandler> = {
  SaveImage: saveImage,
  PreviewImage: previewImage,
  SaveLatent: saveLatent,
  PreviewAny: previewAny,
};
