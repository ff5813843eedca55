/**
 * The alpha the emulator gives RGBA images (Wan-Alpha clips, Qwen-Image-Layered layers): an
 * opaque centred ellipse on a transparent background, so savers write real transparency
 * (WebP and PNG encoders drop an all-opaque alpha channel, or keep it without meaning).
 */
export function alphaPlane(width: number, height: number): Buffer {
  const plane = Buffer.alloc(width * height);
  const [cx, cy, rx, ry] = [width / 2, height / 2, width * 0.4, height * 0.45];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      plane[y * width + x] = dx * dx + dy * dy <= 1 ? 255 : 0;
    }
  }
  return plane;
}

/** Interleaves a raw RGB frame with `plane` into raw RGBA. */
export function rgbaOf(rgb: Buffer, plane: Buffer): Buffer {
  const out = Buffer.allocUnsafe(plane.length * 4);
  for (let i = 0, j = 0; i < plane.length; i += 1, j += 3) {
    out[i * 4] = rgb[j]!;
    out[i * 4 + 1] = rgb[j + 1]!;
    out[i * 4 + 2] = rgb[j + 2]!;
    out[i * 4 + 3] = plane[i]!;
  }
  return out;
}
