import { pixels, type Pixels } from './pixels.js';

/** torch.rot90(image, k, dims=[2, 1]) on [B,H,W,C]: k quarter turns clockwise. */
export function rotateClockwise(p: Pixels, k: number): Pixels {
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return p;
  const { batch, height: h, width: w, channels: c } = p;
  const [oh, ow] = turns === 2 ? [h, w] : [w, h];
  const out = pixels(batch, oh, ow, c);
  for (let b = 0; b < batch; b += 1) {
    for (let y = 0; y < oh; y += 1) {
      for (let x = 0; x < ow; x += 1) {
        // Source pixel of out(y, x) for 90°, 180° and 270° clockwise.
        const [sy, sx] = turns === 1 ? [h - 1 - x, y] : turns === 2 ? [h - 1 - y, w - 1 - x] : [x, w - 1 - y];
        const from = ((b * h + sy) * w + sx) * c;
        out.data.set(p.data.subarray(from, from + c), ((b * oh + y) * ow + x) * c);
      }
    }
  }
  return out;
}

/** torch.flip along H (`vertical`) or W. */
export function flip(p: Pixels, vertical: boolean): Pixels {
  const { batch, height: h, width: w, channels: c } = p;
  const out = pixels(batch, h, w, c);
  for (let b = 0; b < batch; b += 1) {
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        const from = ((b * h + (vertical ? h - 1 - y : y)) * w + (vertical ? x : w - 1 - x)) * c;
        out.data.set(p.data.subarray(from, from + c), ((b * h + y) * w + x) * c);
      }
    }
  }
  return out;
}

/** Pastes `inner` into a `width`×`height` canvas filled with `value` at (x, y). */
export function placeOn(inner: Pixels, width: number, height: number, x: number, y: number, value: number): Pixels {
  const out = pixels(inner.batch, height, width, inner.channels, value);
  const c = inner.channels;
  for (let b = 0; b < inner.batch; b += 1) {
    for (let row = 0; row < inner.height; row += 1) {
      const ty = y + row;
      if (ty < 0 || ty >= height) continue;
      for (let col = 0; col < inner.width; col += 1) {
        const tx = x + col;
        if (tx < 0 || tx >= width) continue;
        const from = ((b * inner.height + row) * inner.width + col) * c;
        out.data.set(inner.data.subarray(from, from + c), ((b * height + ty) * width + tx) * c);
      }
    }
  }
  return out;
}

/** Frames side by side (`horizontal`, same height) or stacked (same width). */
export function concat(parts: Pixels[], horizontal: boolean): Pixels {
  const first = parts[0]!;
  const c = first.channels;
  const width = horizontal ? parts.reduce((n, p) => n + p.width, 0) : first.width;
  const height = horizontal ? first.height : parts.reduce((n, p) => n + p.height, 0);
  const out = pixels(first.batch, height, width, c);
  let offset = 0;
  for (const p of parts) {
    const placed = placeOn(p, width, height, horizontal ? offset : 0, horizontal ? 0 : offset, 0);
    for (let b = 0; b < p.batch; b += 1) {
      for (let y = 0; y < p.height; y += 1) {
        const ty = horizontal ? y : offset + y;
        const at = ((b * height + ty) * width + (horizontal ? offset : 0)) * c;
        out.data.set(placed.data.subarray(at, at + p.width * c), at);
      }
    }
    offset += horizontal ? p.width : p.height;
  }
  return out;
}
