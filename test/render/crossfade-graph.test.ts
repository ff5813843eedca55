import { describe, expect, it } from 'vitest';
import { overlayCrossfadeGraph, xfadeGraph } from '../../src/render/crossfade-group.js';
import { frameRate } from '../../src/render/frame-rate.js';
import { parseRenderPlan } from '../../src/render/render-plan.js';
import type { Segment } from '../../src/render/shot-segment.js';
import { buildTimeline } from '../../src/render/timeline.js';

function segmentsFor(fps: number, shots: { durationSec: number; crossfade?: number }[]): Segment[] {
  const plan = parseRenderPlan({
    fps, width: 64, height: 64,
    shots: shots.map((s, i) => ({ id: `s${i}`, keyframe: 'x.png', durationSec: s.durationSec, transition: s.crossfade ? { type: 'crossfade', seconds: s.crossfade } : { type: 'cut' } })),
  });
  return buildTimeline(plan).shots.map((entry) => ({ path: `${entry.id}.mp4`, entry, adjustments: [] }));
}

describe('crossfade graphs', () => {
  it('xfade offsets are where each next shot starts in the joined output', () => {
    const segments = segmentsFor(24, [{ durationSec: 2, crossfade: 0.5 }, { durationSec: 1.5, crossfade: 0.25 }, { durationSec: 1 }]);
    expect(xfadeGraph(segments, frameRate(24))).toBe(
      '[0:v][1:v]xfade=transition=fade:duration=0.500000:offset=1.500000[x1];' +
        '[x1][2:v]xfade=transition=fade:duration=0.250000:offset=2.750000[x2];' +
        '[x2]format=yuv420p,setpts=PTS-STARTPTS[out]',
    );
  });

  it('overlay fallback shifts each shot by exact frames at NTSC rates', () => {
    const segments = segmentsFor(29.97, [{ durationSec: 1, crossfade: 0.5 }, { durationSec: 1 }]);
    const graph = overlayCrossfadeGraph(segments, frameRate(29.97), 64, 64, 45);
    expect(graph).toContain('[1:v]format=yuva420p,fade=t=in:s=0:n=15:alpha=1,setpts=PTS-STARTPTS+15*1001/30000/TB[s1]');
    expect(graph).toContain('color=c=black:s=64x64:r=30000/1001');
  });
});
