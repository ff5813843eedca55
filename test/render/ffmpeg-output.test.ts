import { describe, expect, it } from 'vitest';
import { parseFilterList } from '../../src/render/ffmpeg-filters.js';
import { parseProgressLine } from '../../src/render/ffmpeg-progress.js';
import { escapeFilterValue } from '../../src/render/filter-escape.js';
import { drawtextFilter, wrapCaption } from '../../src/render/caption.js';
import { fontPath } from '../../src/platform/font.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('ffmpeg output parsing', () => {
  it('lists filters from `ffmpeg -filters`', () => {
    const names = parseFilterList([
      'Filters:',
      '  T.. = Timeline support',
      ' ... concat            N->N       Concatenate audio and video streams.',
      ' T.C drawtext          V->V       Draw text on top of video frames using libfreetype library.',
      ' TSC xfade             VV->V      Cross fade one video with another video.',
      ' ... anullsrc          |->A       Null audio source, return empty audio frames.',
    ].join('\n'));
    expect([...names].sort()).toEqual(['anullsrc', 'concat', 'drawtext', 'xfade']);
  });

  it('reads out_time from -progress lines in seconds', () => {
    expect(parseProgressLine('out_time_us=1500000')).toBe(1.5);
    expect(parseProgressLine('out_time_ms=250000')).toBe(0.25);
    expect(parseProgressLine('out_time=00:00:01.500000')).toBeUndefined();
    expect(parseProgressLine('progress=continue')).toBeUndefined();
  });
});

describe('captions', () => {
  it('escapes filter values at both levels', () => {
    expect(escapeFilterValue("C:\\fonts\\it's.ttf")).toBe("C\\\\:\\\\\\\\fonts\\\\\\\\it\\\\\\'s.ttf");
    expect(escapeFilterValue('/a/b.ttf')).toBe('/a/b.ttf');
  });

  it('drawtext uses the bundled font file and reads the text from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storycore-caption-'));
    try {
      const filter = await drawtextFilter('She says: "[not] tonight", 100%', join(dir, 'c.txt'), 640, 360);
      expect(filter).toContain(`fontfile=${escapeFilterValue(fontPath())}`);
      expect(filter).toContain('expansion=none');
      expect(await readFile(join(dir, 'c.txt'), 'utf8')).toBe('She says: "[not] tonight", 100%');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('wraps to two lines and marks cut text', () => {
    expect(wrapCaption('one two three four five six', 9)).toEqual(['one two', 'three…']);
    expect(wrapCaption('short', 20)).toEqual(['short']);
  });
});
