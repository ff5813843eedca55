import { describe, expect, it } from 'vitest';
import { frameRate } from '../../src/render/frame-rate.js';
import { parseRenderPlan } from '../../src/render/render-plan.js';
import { buildTimeline } from '../../src/render/timeline.js';
import { isRenderError } from '../../src/render/errors/render-error.js';

const still = (id: string, durationSec: number, transition?: unknown) => ({ id, keyframe: `/x/${id}.png`, durationSec, ...(transition ? { transition } : {}) });

describe('buildTimeline', () => {
  it('subtracts each crossfade overlap from the sum of durations', () => {
    const plan = parseRenderPlan({
      fps: 24, width: 64, height: 64,
      shots: [still('a', 2, { type: 'crossfade', seconds: 0.5 }), still('b', 1.5, { type: 'crossfade', seconds: 0.25 }), still('c', 1)],
    });
    const timeline = buildTimeline(plan);
    expect(timeline.shots.map((s) => s.frames)).toEqual([48, 36, 24]);
    expect(timeline.totalFrames).toBe(48 + 36 + 24 - 12 - 6);
    expect(timeline.shots.map((s) => s.startFrame)).toEqual([0, 36, 66]);
    expect(timeline.groups.map((g) => g.map((s) => s.id))).toEqual([['a', 'b', 'c']]);
  });

  it('keeps cuts as separate groups and fade-to-black keeps the timing', () => {
    const timeline = buildTimeline(parseRenderPlan({
      fps: 25, width: 64, height: 64,
      shots: [still('a', 1, { type: 'fade-to-black', seconds: 0.4 }), still('b', 1), still('c', 1, { type: 'fade-to-black', seconds: 2 })],
    }));
    expect(timeline.totalFrames).toBe(75);
    expect(timeline.groups).toHaveLength(3);
    expect(timeline.shots[0]).toMatchObject({ fadeOut: 10 });
    expect(timeline.shots[1]).toMatchObject({ fadeIn: 10, fadeOut: 0 });
    expect(timeline.shots[2]).toMatchObject({ fadeOut: 25 });
    expect(timeline.adjustments).toEqual([expect.objectContaining({ shotId: 'c', kind: 'fade-shortened' })]);
  });

  it('rounds shot boundaries from the running sum so rounding never accumulates', () => {
    const shots = Array.from({ length: 30 }, (_, i) => still(`s${i}`, 0.1));
    const timeline = buildTimeline(parseRenderPlan({ fps: 24, width: 64, height: 64, shots }));
    // 30 × 0.1 s = 3 s = 72 frames; rounding each shot alone (2.4 → 2) would give 60.
    expect(timeline.totalFrames).toBe(72);
  });

  it('reports a crossfade that cannot fit or has nothing to fade into', () => {
    const timeline = buildTimeline(parseRenderPlan({
      fps: 24, width: 64, height: 64,
      shots: [still('a', 1, { type: 'crossfade', seconds: 3 }), still('b', 0.5, { type: 'crossfade', seconds: 1 })],
    }));
    expect(timeline.shots[0]!.crossfadeOut).toBe(12);
    expect(timeline.totalFrames).toBe(24);
    expect(timeline.adjustments.map((a) => [a.shotId, a.kind])).toEqual([
      ['a', 'crossfade-shortened'],
      ['b', 'transition-ignored'],
    ]);
  });

  it('uses exact NTSC rates', () => {
    expect(frameRate(23.976)).toMatchObject({ num: 24000, den: 1001, text: '24000/1001' });
    expect(frameRate(30)).toMatchObject({ num: 30, den: 1, text: '30' });
    const timeline = buildTimeline(parseRenderPlan({ fps: 29.97, width: 64, height: 64, shots: [still('a', 10)] }));
    expect(timeline.totalFrames).toBe(300);
  });
});

describe('parseRenderPlan', () => {
  it('names the field at fault', () => {
    try {
      parseRenderPlan({ fps: 24, width: 63, height: 64, shots: [still('a', 1)] });
      expect.unreachable();
    } catch (error) {
      expect(isRenderError(error)).toBe(true);
      expect((error as Error).message).toContain('width');
    }
  });

  it('rejects a shot with neither clip nor keyframe, and duplicate ids', () => {
    expect(() => parseRenderPlan({ fps: 24, width: 64, height: 64, shots: [{ id: 'a', durationSec: 1 }] })).toThrow(/clip or a keyframe/);
    expect(() => parseRenderPlan({ fps: 24, width: 64, height: 64, shots: [still('a', 1), still('a', 1)] })).toThrow(/two shots with id "a"/);
  });
});
