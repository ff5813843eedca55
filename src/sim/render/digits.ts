/**
 * A 5×7 bitmap font for frame numbers. Stamping "12/81" into each frame of a clip by copying
 * pixels is orders of magnitude cheaper than laying out text per frame.
 */
const GLYPHS: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  '/': ['00001', '00010', '00010', '00100', '01000', '01000', '10000'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

/** Width in pixels of `text` drawn at `scale` (1 px gap between glyphs). */
export function stampWidth(text: string, scale: number): number {
  return text.length * (GLYPH_WIDTH + 1) * scale;
}

/**
 * Draws `text` (digits, '/', ' ') into an RGB buffer at (x, y) with a dark plate behind it so
 * it reads on any background. Pixels outside the frame are clipped.
 */
export function stampText(rgb: Buffer, width: number, height: number, text: string, x: number, y: number, scale: number): void {
  const pad = scale;
  const plateW = stampWidth(text, scale) + pad;
  const plateH = GLYPH_HEIGHT * scale + 2 * pad;
  fillRect(rgb, width, height, x - pad, y - pad, plateW + pad, plateH, [0, 0, 0]);
  let cursor = x;
  for (const ch of text) {
    const glyph = GLYPHS[ch] ?? GLYPHS[' ']!;
    for (let row = 0; row < GLYPH_HEIGHT; row += 1) {
      for (let col = 0; col < GLYPH_WIDTH; col += 1) {
        if (glyph[row]![col] === '1') fillRect(rgb, width, height, cursor + col * scale, y + row * scale, scale, scale, [255, 255, 255]);
      }
    }
    cursor += (GLYPH_WIDTH + 1) * scale;
  }
}

function fillRect(rgb: Buffer, width: number, height: number, x0: number, y0: number, w: number, h: number, color: [number, number, number]): void {
  const xs = Math.max(0, x0);
  const xe = Math.min(width, x0 + w);
  for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y += 1) {
    for (let x = xs; x < xe; x += 1) {
      const o = (y * width + x) * 3;
      rgb[o] = color[0];
      rgb[o + 1] = color[1];
      rgb[o + 2] = color[2];
    }
  }
}
