import { frameRate, type FrameRate } from './frame-rate.js';
import type { RenderPlan } from './render-plan.js';

/** A change the renderer made to what the plan asked for; never silent, always reported. */
export interface ShotAdjustment {
  shotId: string;
  kind: 'extended' | 'trimmed' | 'crossfade-shortened' | 'transition-ignored' | 'fade-shortened';
  message: string;
}

export interface TimelineShot {
  index: number;
  id: string;
  /** Frames this shot contributes at the project rate, overlaps included. */
  frames: number;
  /** Frame in the final cut where the shot starts (inside the previous shot's crossfade, if any). */
  startFrame: number;
  crossfadeIn: number;
  crossfadeOut: number;
  fadeIn: number;
  fadeOut: number;
}

export interface Timeline {
  rate: FrameRate;
  shots: TimelineShot[];
  /** Runs of shots joined by crossfades; a shot alone is a group of one. */
  groups: TimelineShot[][];
  totalFrames: number;
  adjustments: ShotAdjustment[];
}

/**
 * Frame-exact layout of the cut. Shot boundaries come from the running sum of durations, so
 * rounding to frames never accumulates: the cut is round(sum × fps) − overlaps frames long.
 * A crossfade overlaps the end of one shot with the start of the next, so it shortens the cut
 * by its length; fade-to-black fades the shot out and the next one in, keeping the timing.
 */
export function buildTimeline(plan: Pick<RenderPlan, 'fps' | 'shots'>): Timeline {
  const rate = frameRate(plan.fps);
  const fps = rate.num / rate.den;
  const adjustments: ShotAdjustment[] = [];
  const shots: TimelineShot[] = [];
  let elapsedSec = 0;
  let boundary = 0;
  for (const [index, shot] of plan.shots.entries()) {
    elapsedSec += shot.durationSec;
    const end = Math.max(boundary + 1, Math.round(elapsedSec * fps));
    shots.push({ index, id: shot.id, frames: end - boundary, startFrame: 0, crossfadeIn: 0, crossfadeOut: 0, fadeIn: 0, fadeOut: 0 });
    boundary = end;
  }

  for (const [index, entry] of shots.entries()) {
    const transition = plan.shots[index]!.transition;
    if (transition.type === 'cut') continue;
    const next = shots[index + 1];
    const wanted = Math.round(transition.seconds * fps);
    const available = entry.frames - entry.crossfadeIn;
    if (transition.type === 'fade-to-black') {
      const frames = Math.min(wanted, available);
      if (frames < wanted) adjustments.push({ shotId: entry.id, kind: 'fade-shortened', message: `fade-to-black shortened from ${wanted} to ${frames} frames: the shot is too short` });
      entry.fadeOut = frames;
      if (next) next.fadeIn = Math.min(frames, next.frames);
      continue;
    }
    if (!next) {
      adjustments.push({ shotId: entry.id, kind: 'transition-ignored', message: 'crossfade on the last shot has nothing to fade into: played as a cut' });
      continue;
    }
    const frames = Math.min(wanted, available, next.frames);
    if (frames < 1) {
      adjustments.push({ shotId: entry.id, kind: 'transition-ignored', message: 'crossfade rounds to zero frames or the shots are too short: played as a cut' });
      continue;
    }
    if (frames < wanted) adjustments.push({ shotId: entry.id, kind: 'crossfade-shortened', message: `crossfade shortened from ${wanted} to ${frames} frames: the shots are too short to overlap that much` });
    entry.crossfadeOut = frames;
    next.crossfadeIn = frames;
  }

  const groups: TimelineShot[][] = [];
  let start = 0;
  for (const entry of shots) {
    entry.startFrame = start - entry.crossfadeIn;
    start = entry.startFrame + entry.frames;
    if (entry.crossfadeIn > 0) groups.at(-1)!.push(entry);
    else groups.push([entry]);
  }
  return { rate, shots, groups, totalFrames: start, adjustments };
}
