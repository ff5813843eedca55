import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageNeeded, fontChain, missingGlyphsNote } from '../../src/platform/font.js';
import { renderFinalCut } from '../../src/render/index.js';
import { renderTextLine } from '../../src/render/text-image.js';
import { missingFfmpeg } from './ffmpeg-available.js';
import { frameAt, makeKeyframe, meanDifference } from './media-fixtures.js';

/** CI installs fonts-noto-cjk and fonts-noto-color-emoji; locally their absence skips with a message. */
function missingFonts(): boolean {
  const missing = fontChain().missing;
  if (missing.length === 0) return false;
  if (process.env.STORYCORE_REQUIRE_SERVICES === '1') throw new Error(`fonts for ${missing.join(', ')} are required: apt-get install -y fonts-noto-cjk fonts-noto-color-emoji`);
  console.warn('skipping: apt-get install -y fonts-noto-cjk fonts-noto-color-emoji');
  return true;
}

/** True when the glyph image is a "tofu" box: its first inked column is one tall vertical stroke. */
async function looksLikeBox(png: Buffer): Promise<boolean> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const inked = (x: number, y: number) => data[(y * info.width + x) * 4 + 3]! > 128;
  const rows = Array.from({ length: info.height }, (_, y) => y).filter((y) => Array.from({ length: info.width }, (_, x) => x).some((x) => inked(x, y)));
  const first = Array.from({ length: info.width }, (_, x) => x).find((x) => rows.some((y) => inked(x, y)))!;
  let run = 0;
  let best = 0;
  for (const y of rows) {
    run = inked(first, y) || inked(first + 1, y) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best >= 0.7 * rows.length;
}

describe('fonts for CJK and emoji', () => {
  it('says which scripts need a fallback, and names the package when none is installed', () => {
    expect(coverageNeeded('The lamp dies.')).toEqual([]);
    expect(coverageNeeded('灯台守のマラ')).toEqual(['cjk']);
    expect(coverageNeeded('storm 🌊')).toEqual(['emoji']);
    const none = fontChain(() => false);
    expect(none.families).toEqual(['DejaVu Sans']);
    expect(none.missing).toEqual(['cjk', 'emoji']);
    expect(missingGlyphsNote('灯台 🌊', none)).toBe(
      'no installed font has CJK (Chinese, Japanese, Korean) and emoji glyphs, so they render as boxes: install them (Debian/Ubuntu: apt-get install fonts-noto-cjk fonts-noto-color-emoji)',
    );
    expect(missingGlyphsNote('plain text', none)).toBeUndefined();
  });

  describe.skipIf(missingFonts())('with the fallback fonts installed', () => {
    it('the chain is DejaVu Sans, then a CJK font, then an emoji font', () => {
      const chain = fontChain();
      expect(chain.families[0]).toBe('DejaVu Sans');
      expect(chain.fallbacks.map((f) => f.covers)).toEqual(['cjk', 'emoji']);
      expect(missingGlyphsNote('灯台 🌊')).toBeUndefined();
    });

    it('text lines (contact sheet) draw CJK as glyphs, not boxes, and emoji in colour', async () => {
      const box = await renderTextLine('\uE000', { fontSize: 48, maxWidth: 400, maxHeight: 100 });
      expect(await looksLikeBox(box!.input)).toBe(true);
      const cjk = await renderTextLine('人', { fontSize: 48, maxWidth: 400, maxHeight: 100 });
      expect(await looksLikeBox(cjk!.input)).toBe(false);
      const emoji = await renderTextLine('🌊', { fontSize: 48, maxWidth: 400, maxHeight: 100 });
      const { data } = await sharp(emoji!.input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 128 && Math.abs(data[i]! - data[i + 2]!) > 40) coloured++;
      expect(coloured).toBeGreaterThan(50);
    });
  });
});

describe.skipIf(missingFfmpeg() || fontChain().missing.includes('cjk'))('CJK captions in the cut', () => {
  let dir: string;
  let blue: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'storycore-cjk-'));
    blue = await makeKeyframe(join(dir, 'blue.png'), { width: 320, height: 180, color: { r: 30, g: 40, b: 200 } });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('draws CJK glyphs where a font without them would draw the same box for every character', async () => {
    const band = async (caption: string, name: string) => {
      const out = join(dir, `${name}.mp4`);
      const cut = await renderFinalCut({ fps: 24, width: 320, height: 180, captions: true, shots: [{ id: 'a', keyframe: blue, durationSec: 0.5, caption }] }, { out });
      const frame = await frameAt(out, 0.2, join(dir, `${name}.png`));
      return { renderer: cut.captionRenderer, data: frame.data.subarray(120 * 320 * 3) };
    };
    const people = await band('人人人人', 'people');
    const mouths = await band('口口口口', 'mouths');
    // With boxes, 人 and 口 would be the same picture; drawn with a CJK font they differ.
    expect(meanDifference(people.data, mouths.data)).toBeGreaterThan(1);
    expect(people.renderer).toBe('overlay');
  }, 60_000);
});
