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
