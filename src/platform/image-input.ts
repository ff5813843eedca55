import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { ImageInputError } from './errors/image-input-error.js';
import { DEFAULT_INPUT_LIMITS, raiseHint, type InputLimits } from './input-limits.js';

/** Formats a ComfyUI image loader opens (PIL): anything else is refused before upload. */
const IMAGE_FORMATS = new Set(['png', 'jpeg', 'jpg', 'webp', 'gif', 'tiff', 'bmp']);

/**
 * Reads an image input once, with its size capped, and checks with sharp that the bytes are
 * an image within the pixel limit. Returns the bytes, so what was checked is exactly what is
 * stored and uploaded (a file swapped after the check cannot slip through).
 */
export async function readImageInput(path: string, field: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<Uint8Array> {
  const maxBytes = Math.floor(limits.imageMb * 1024 * 1024);
  let bytes: Buffer;
  const handle = await open(path, 'r').catch((cause: unknown) => {
    throw new ImageInputError('IMAGE_INVALID', field, `cannot read ${path}: ${(cause as Error).message}`, 'check the path and its permissions', cause);
  });
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      throw new ImageInputError('IMAGE_TOO_LARGE', field, `${path} is ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${limits.imageMb} MB image limit`, raiseHint('imageMb', limits.imageMb));
    }
    // One byte more than the limit, so a file that grew since stat is still caught.
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) {
      throw new ImageInputError('IMAGE_TOO_LARGE', field, `${path} is more than the ${limits.imageMb} MB image limit`, raiseHint('imageMb', limits.imageMb));
    }
    bytes = buffer.subarray(0, bytesRead);
  } catch (error) {
    if (error instanceof ImageInputError) throw error;
    throw new ImageInputError('IMAGE_INVALID', field, `cannot read ${path}: ${(error as Error).message}`, 'check the path and its permissions', error);
  } finally {
    await handle.close();
  }
  await checkImageBytes(bytes, field, path, limits);
  return bytes;
}

/** Checks bytes are a PNG/JPEG/WebP/GIF/TIFF/BMP image of at most `limits.imageMegapixels`. */
export async function checkImageBytes(bytes: Uint8Array, field: string, label: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<void> {
  const meta = await sharp(bytes, { failOn: 'error' })
    .metadata()
    .catch((cause: unknown) => {
      throw new ImageInputError('IMAGE_INVALID', field, `${label} is not an image`, 'give a PNG, JPEG or WebP file', cause);
    });
  const { format } = meta;
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!format || !IMAGE_FORMATS.has(format) || width <= 0 || height <= 0) {
    throw new ImageInputError('IMAGE_INVALID', field, `${label} is not a PNG, JPEG, WebP, GIF, TIFF or BMP image${format ? ` (it is ${format})` : ''}`, 'convert it to PNG or JPEG');
  }
  if (width * height > limits.imageMegapixels * 1_000_000) {
    throw new ImageInputError('IMAGE_TOO_LARGE', field, `${label} is ${width}×${height}, more than ${limits.imageMegapixels} megapixels`, `scale it down, or ${raiseHint('imageMegapixels', limits.imageMegapixels)}`);
  }
}
