import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactSheetLayout, renderContactSheet, type ContactSheetShot } from '../../src/render/index.js';
import { makeKeyframe, meanColor } from './media-fixtures.js';

describe('renderContactSheet', () => {
  let dir: string;
  let shots: ContactSheetShot[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'storycore-sheet-'));
    const wide = await makeKeyframe(join(dir, 'wide.png'), { width: 320, height: 180, color: { r: 220, g: 40, b: 40 } });
    const tall = await makeKeyframe(join(dir, 'tall.png'), { width: 90, height: 160, color: { r: 40, g: 200, b: 40 } });
    shots = Array.from({ length: 7 }, (_, i) => ({
      id: `shot-${i + 1}`,
      image: i % 2 === 0 ? wide : tall,
      durationSec: 2 + i / 2,
      camera: 'wide · static',
      action: 'Mara climbs the lighthouse stairs while the storm rattles every window & <door>',
    }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { count: 7, columns: 3, rows: 3 },
    { count: 4, columns: 4, rows: 1 },
    { count: 2, columns: 5, rows: 1 },
  ])('lays out $count shots in $columns columns', async ({ count, columns, rows }) => {
    const out = join(dir, `sheet-${count}-${columns}.png`);
    const path = await renderContactSheet(shots.slice(0, count), { out, columns, thumbWidth: 160, title: 'The Lighthouse' });
    const layout = contactSheetLayout(count, { columns, thumbWidth: 160, title: 'The Lighthouse' });
    expect(path).toBe(out);
    expect(layout.rows).toBe(rows);
    expect(layout.columns).toBe(Math.min(columns, count));
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([layout.width, layout.height, 'png']);
    expect(layout.width).toBe(2 * layout.margin + layout.columns * 160 + (layout.columns - 1) * layout.gap);
  });

  it('places each thumbnail in its cell, draws text under it, and marks missing images', async () => {
    const out = join(dir, 'cells.png');
    const withMissing = [shots[0]!, { id: 'shot-x', image: join(dir, 'absent.png'), durationSec: 1, action: 'not rendered yet' }];
    await renderContactSheet(withMissing, { out, columns: 2, thumbWidth: 160 });
    const layout = contactSheetLayout(2, { columns: 2, thumbWidth: 160 });
    const { data, info } = await sharp(out).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const frame = { data, width: info.width };
    const thumbTop = layout.margin + layout.titleHeight;
    const [r, g] = meanColor(frame, { left: layout.margin + 60, top: thumbTop + 40, width: 40, height: 10 });
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    // Placeholder tile: grey, not the sheet background and not a keyframe colour.
    const placeholder = meanColor(frame, { left: layout.margin + 160 + layout.gap + 4, top: thumbTop + 4, width: 20, height: 20 });
    expect(placeholder[0]).toBeCloseTo(63, -1);
    // The caption band under the first thumbnail has bright text pixels.
    const band = meanColor(frame, { left: layout.margin, top: thumbTop + layout.thumbHeight + 2, width: 160, height: layout.lineHeight * 2 });
    expect(band[0]).toBeGreaterThan(30);
    expect((await readdir(dir)).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('a title adds height', () => {
    expect(contactSheetLayout(3, { title: 'T' }).height).toBeGreaterThan(contactSheetLayout(3, {}).height);
  });
});
