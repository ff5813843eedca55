import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/platform/ffmpeg.js';
import { detectFilterSupport } from '../../src/render/ffmpeg-filters.js';
import { renderFinalCut, type RenderProgress } from '../../src/render/index.js';
import { isRenderError, type RenderError } from '../../src/render/errors/render-error.js';
import { missingFfmpeg } from './ffmpeg-available.js';
import { frameAt, makeClip, makeKeyframe, makeTone, meanColor, meanDifference, streamLines } from './media-fixtures.js';

const RED = { r: 210, g: 30, b: 30 };
const BLUE = { r: 30, g: 40, b: 200 };

describe.skipIf(missingFfmpeg())('renderFinalCut', () => {
  let dir: string;
  let clip24: string; // 320×240 @ 24 fps, 1 s
  let clip16: string; // 200×200 @ 16 fps, 0.5 s
  let red: string;
  let blue: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'storycore-render-test-'));
    clip24 = await makeClip(join(dir, 'a.mp4'), { width: 320, height: 240, fps: 24, seconds: 1 });
    clip16 = await makeClip(join(dir, 'b.mp4'), { width: 200, height: 200, fps: 16, seconds: 0.5 });
    red = await makeKeyframe(join(dir, 'red.png'), { width: 300, height: 100, ...{ color: RED } });
    blue = await makeKeyframe(join(dir, 'blue.png'), { width: 90, height: 160, color: BLUE });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('normalises rate and size, holds stills, and reports a short clip it extended', async () => {
    const out = join(dir, 'cuts', 'final.mp4');
    const progress: RenderProgress[] = [];
    const cut = await renderFinalCut(
      {
        fps: 30, width: 256, height: 144,
        shots: [
          { id: 'opening', clip: clip24, durationSec: 0.8 },
          { id: 'short', clip: clip16, durationSec: 1 },
          { id: 'still', keyframe: red, durationSec: 1.2 },
        ],
      },
      { out, onProgress: (p) => progress.push(p) },
    );
    const probe = await probeVideo(out);
    expect(probe).toMatchObject({ codec: 'h264', width: 256, height: 144, fps: 30, frames: 90 });
    expect(cut).toMatchObject({ path: out, frames: 90, width: 256, height: 144, fps: 30 });
    expect(cut.durationSec).toBeCloseTo(3, 6);
    expect(Math.abs(probe.durationSeconds - 3)).toBeLessThanOrEqual(1 / 30 + 0.01);

    expect(cut.adjustments).toEqual([
      expect.objectContaining({ shotId: 'opening', kind: 'trimmed' }),
      expect.objectContaining({ shotId: 'short', kind: 'extended', message: expect.stringContaining('held its last frame for 0.50s') }),
    ]);
    // The short clip's last real frame (0.5 s in) is held to the shot's end.
    const held = await frameAt(out, 0.8 + 0.45, join(dir, 'h1.png'));
    const end = await frameAt(out, 0.8 + 0.95, join(dir, 'h2.png'));
    expect(meanDifference(held.data, end.data)).toBeLessThan(2);
    // The keyframe fills the shot from its first to its last frame (letterboxed 3:1 in 16:9).
    for (const t of [1.8 + 0.02, 3 - 0.04]) {
      const frame = await frameAt(out, t, join(dir, `still-${t}.png`));
      const [r, g, b] = meanColor(frame, { left: 100, top: 60, width: 56, height: 24 });
      expect(r).toBeGreaterThan(180);
      expect(g + b).toBeLessThan(120);
      expect(meanColor(frame, { left: 0, top: 0, width: 256, height: 10 })[0]).toBeLessThan(20);
    }

    const fractions = progress.map((p) => p.fraction);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(new Set(progress.map((p) => p.stage))).toEqual(new Set(['shots', 'mux']));
    expect((await streamLines(out)).some((line) => line.includes('Audio:'))).toBe(false);
  });

  const crossfadePaths = async (): Promise<('xfade' | 'overlay')[]> => ((await detectFilterSupport()).xfade ? ['xfade', 'overlay'] : ['overlay']);

  it('crossfades overlap exactly: duration is the sum minus the overlaps (every available filter)', async () => {
    for (const path of await crossfadePaths()) {
      const out = join(dir, `xfade-${path}.mp4`);
      const cut = await renderFinalCut(
        {
          fps: 24, width: 160, height: 120,
          shots: [
            { id: 'a', keyframe: red, durationSec: 1, transition: { type: 'crossfade', seconds: 0.5 } },
            { id: 'b', keyframe: blue, durationSec: 1, transition: { type: 'crossfade', seconds: 0.25 } },
            { id: 'c', clip: clip24, durationSec: 1, transition: { type: 'cut' } },
            { id: 'd', keyframe: red, durationSec: 0.5, transition: { type: 'fade-to-black', seconds: 0.25 } },
          ],
        },
        { out, filters: { xfade: path === 'xfade' } },
      );
      expect(cut.crossfadeFilter).toBe(path);
      const expected = 3.5 - 0.5 - 0.25;
      const probe = await probeVideo(out);
      expect(probe.frames).toBe(Math.round(expected * 24));
      expect(Math.abs(probe.frames / probe.fps - expected)).toBeLessThanOrEqual(1 / 24);

      // Shot a starts on frame 0, is untouched until b enters on frame 12, mixes mid-overlap,
      // and b alone is on screen once the overlap ends on frame 24.
      const at = async (frame: number) =>
        meanColor(await frameAt(out, (frame + 0.5) / 24, join(dir, `f${frame}-${path}.png`)), { left: 70, top: 50, width: 20, height: 20 });
      for (const frame of [0, 11]) {
        const [r, , b] = await at(frame);
        expect(r).toBeGreaterThan(195);
        expect(b).toBeLessThan(40);
      }
      const [midR, , midB] = await at(18);
      expect(midR).toBeGreaterThan(70);
      expect(midR).toBeLessThan(170);
      expect(midB).toBeGreaterThan(70);
      expect(midB).toBeLessThan(170);
      const [blueR, , blueB] = await at(24);
      expect(blueB).toBeGreaterThan(185);
      expect(blueR).toBeLessThan(45);
      // The last frame has faded to black.
      const last = meanColor(await frameAt(out, expected - 1 / 24, join(dir, `last-${path}.png`)), { left: 40, top: 30, width: 80, height: 60 });
      expect(Math.max(...last)).toBeLessThan(40);
    }
  });

  it('adds the audio track trimmed or padded to the cut', async () => {
    const tone = await makeTone(join(dir, 'tone.wav'), 5);
    const out = join(dir, 'audio.mp4');
    await renderFinalCut(
      { fps: 24, width: 160, height: 120, shots: [{ id: 'a', keyframe: red, durationSec: 1.5 }], audio: { path: tone, gainDb: -6, fadeOutSec: 0.5 } },
      { out },
    );
    const streams = await streamLines(out);
    expect(streams.some((line) => /Audio: aac/.test(line))).toBe(true);
    expect((await probeVideo(out)).frames).toBe(36);
    // The 5 s tone was cut to the 1.5 s picture: the container is not 5 s long.
    expect((await probeVideo(out)).durationSeconds).toBeLessThan(1.7);
  });

  it('burns captions with the bundled font even when fontconfig knows no fonts', async () => {
    const emptyConfig = join(dir, 'fonts.conf');
    await writeFile(emptyConfig, '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n');
    const previous = process.env.FONTCONFIG_FILE;
    process.env.FONTCONFIG_FILE = emptyConfig;
    try {
      const renderers = (await detectFilterSupport()).drawtext ? (['drawtext', 'overlay'] as const) : (['overlay'] as const);
      const plan = (captions: boolean) => ({
        fps: 24, width: 320, height: 180, captions,
        shots: [{ id: 'a', keyframe: blue, durationSec: 0.5, caption: 'MARA: Not tonight. The sea keeps what it takes.' }],
      });
      await renderFinalCut(plan(false), { out: join(dir, 'plain.mp4') });
      const plain = await frameAt(join(dir, 'plain.mp4'), 0.2, join(dir, 'plain.png'));
      for (const renderer of renderers) {
        const out = join(dir, `caption-${renderer}.mp4`);
        const cut = await renderFinalCut(plan(true), { out, filters: { drawtext: renderer === 'drawtext' } });
        expect(cut.captionRenderer).toBe(renderer);
        const captioned = await frameAt(out, 0.2, join(dir, `caption-${renderer}.png`));
        const band = { left: 0, top: 130, width: 320, height: 50 };
        const bandOf = (frame: typeof plain) => ({ data: frame.data.subarray(band.top * 320 * 3, (band.top + band.height) * 320 * 3), width: 320 });
        // Text is drawn in the bottom band and nowhere near the top.
        expect(meanDifference(bandOf(plain).data, bandOf(captioned).data)).toBeGreaterThan(5);
        expect(meanDifference(plain.data.subarray(0, 60 * 320 * 3), captioned.data.subarray(0, 60 * 320 * 3))).toBeLessThan(2);
      }
    } finally {
      if (previous === undefined) delete process.env.FONTCONFIG_FILE;
      else process.env.FONTCONFIG_FILE = previous;
    }
  });

  it('a failing shot raises a RenderError naming it and leaves the previous cut untouched', async () => {
    const folder = join(dir, 'atomic');
    const out = join(folder, 'final.mp4');
    const broken = join(dir, 'broken.mp4');
    await writeFile(broken, 'this is not a video');
    const cases = [
      { shot: { id: 'shot-7', clip: join(dir, 'missing.mp4'), durationSec: 1 }, code: 'RENDER_INPUT_MISSING', hint: /render the shot's clip again/ },
      { shot: { id: 'shot-8', clip: broken, durationSec: 1 }, code: 'RENDER_SHOT_FAILED', hint: /render the shot's clip again/ },
      { shot: { id: 'shot-9', keyframe: join(dir, 'nope.png'), durationSec: 1 }, code: 'RENDER_INPUT_MISSING', hint: /keyframe/ },
    ];
    for (const { shot, code, hint } of cases) {
      await rm(folder, { recursive: true, force: true });
      const plan = { fps: 24, width: 160, height: 120, shots: [{ id: 'ok', keyframe: red, durationSec: 0.5 }, shot] };
      const error = await renderFinalCut(plan, { out }).catch((e: unknown) => e);
      expect(isRenderError(error)).toBe(true);
      expect(error).toMatchObject({ code, shotId: shot.id });
      expect((error as RenderError).message).toContain(shot.id);
      expect((error as RenderError).hint).toMatch(hint);
      expect(await readdir(folder).catch(() => [])).toEqual([]);
    }

    await renderFinalCut({ fps: 24, width: 160, height: 120, shots: [{ id: 'ok', keyframe: red, durationSec: 0.5 }] }, { out });
    const good = await readFile(out);
    await expect(renderFinalCut({ fps: 24, width: 160, height: 120, shots: [cases[1]!.shot] }, { out })).rejects.toMatchObject({ code: 'RENDER_SHOT_FAILED' });
    expect((await readFile(out)).equals(good)).toBe(true);
    expect(await readdir(folder)).toEqual(['final.mp4']);
  });
});
