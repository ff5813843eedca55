import sharp from 'sharp';

/** An image file (PNG, or JPEG for EXIF orientation) both servers receive through POST /upload/image. */
export interface DifferentialInput {
  name: string;
  png: Buffer;
}

/** Small integer hash → 0..255, so the pictures have texture that resampling must get right. */
function noise(x: number, y: number, salt: number): number {
  let h = Math.imul(x + 1, 374761393) ^ Math.imul(y + 1, 668265263) ^ Math.imul(salt, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return (h ^ (h >>> 16)) & 0xff;
}

function raw(width: number, height: number, channels: 3 | 4, pixel: (x: number, y: number) => number[]): Promise<Buffer> {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data.set(pixel(x, y), (y * width + x) * channels);
  return sharp(data, { raw: { width, height, channels } }).png().toBuffer();
}

/**
 * The deterministic inputs of the differential suite: a 64×48 gradient with texture, a 24×32
 * second picture, a 40×40 RGBA whose alpha is a soft disc (LoadImage's MASK), and a JPEG with
 * an EXIF orientation.
 */
export async function differentialInputs(): Promise<DifferentialInput[]> {
  return [
    { name: 'diff-gradient.png', png: await raw(64, 48, 3, (x, y) => [x * 4, y * 5, (noise(x, y, 1) >> 1) + ((x + y) & 0x7f)]) },
    { name: 'diff-small.png', png: await raw(24, 32, 3, (x, y) => [noise(x, y, 2), 255 - y * 8, x * 10]) },
    {
      name: 'diff-alpha.png',
      png: await raw(40, 40, 4, (x, y) => {
        const d = Math.hypot(x - 19.5, y - 19.5);
        return [200, (x * 6) & 0xff, (y * 6) & 0xff, Math.max(0, Math.min(255, Math.round(255 * (18 - d) / 6)))];
      }),
    },
    {
      // A 30×20 JPEG whose EXIF says "rotate 90° clockwise": LoadImage must return it 20×30.
      name: 'diff-rotated.jpg',
      png: await sharp(await raw(30, 20, 3, (x, y) => [x * 8, y * 12, 128]))
        .jpeg({ quality: 95 })
        .withMetadata({ orientation: 6 })
        .toBuffer(),
    },
  ];
}
