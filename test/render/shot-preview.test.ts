import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderShotPreview } from '../../src/render/index.js';
import { missingFfmpeg } from './ffmpeg-available.js';
import { makeClip } from './media-fixtures.js';

describe.skipIf(missingFfmpeg())('renderShotPreview', () => {
  let dir: string;
  let clip: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'storycore-preview-test-'));
    clip = await makeClip(join(dir, 'clip.mp4'), { width: 320, height: 240, fps: 24, seconds: 1.5 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a looping animated WebP at the preview rate and width', async () => {
    const out = join(dir, 'preview.webp');
    const preview = await renderShotPreview(clip, out, { width: 160, fps: 8 });
    expect(preview).toMatchObject({ path: out, kind: 'animated-webp', frames: 12, width: 160, height: 120 });
    const meta = await sharp(out, { animated: true }).metadata();
    expect(meta).toMatchObject({ format: 'webp', pages: 12, width: 160, pageHeight: 120, loop: 0 });
    expect(meta.delay).toEqual(Array(12).fill(125));
  });

  it('caps the preview at maxSeconds', async () => {
    const preview = await renderShotPreview(clip, join(dir, 'short.webp'), { width: 96, fps: 4, maxSeconds: 1 });
    expect(preview.frames).toBe(4);
  });

  it('writes a poster PNG from the middle frame when asked for .png', async () => {
    const out = join(dir, 'poster.png');
    expect(await renderShotPreview(clip, out, { width: 200 })).toMatchObject({ kind: 'poster', frames: 1, width: 200, height: 150 });
    expect((await sharp(out).metadata()).format).toBe('png');
  });

  it('names the missing clip', async () => {
    await expect(renderShotPreview(join(dir, 'none.mp4'), join(dir, 'x.webp'))).rejects.toMatchObject({ code: 'RENDER_INPUT_MISSING' });
  });
});
