import { join } from 'node:path';
import { h264Args } from './encode-settings.js';
import { RenderError } from './errors/render-error.js';
import { FfmpegRunFailure, runFfmpegWithProgress } from './ffmpeg-progress.js';
import { framesToSeconds, secondsText, type FrameRate } from './frame-rate.js';
import type { Segment } from './shot-segment.js';

/** Offsets of each segment from the group's first frame: exact frames, not rounded seconds. */
function relativeStarts(segments: Segment[]): number[] {
  const origin = segments[0]!.entry.startFrame;
  return segments.map((segment) => segment.entry.startFrame - origin);
}

/** `xfade` chain: each offset is where the next shot starts, in the output's own timeline. */
export function xfadeGraph(segments: Segment[], rate: FrameRate): string {
  const starts = relativeStarts(segments);
  const parts: string[] = [];
  let previous = '0:v';
  for (let k = 1; k < segments.length; k++) {
    const duration = secondsText(framesToSeconds(segments[k]!.entry.crossfadeIn, rate));
    const offset = secondsText(framesToSeconds(starts[k]!, rate));
    parts.push(`[${previous}][${k}:v]xfade=transition=fade:duration=${duration}:offset=${offset}[x${k}]`);
    previous = `x${k}`;
  }
  parts.push(`[${previous}]format=yuv420p,setpts=PTS-STARTPTS[out]`);
  return parts.join(';');
}

/**
 * The same crossfades from core filters, for ffmpeg builds older than 4.3: each later shot
 * fades in through its alpha channel and is overlaid, shifted to its start, on a black canvas.
 */
export function overlayCrossfadeGraph(segments: Segment[], rate: FrameRate, width: number, height: number, totalFrames: number): string {
  const starts = relativeStarts(segments);
  const total = secondsText(framesToSeconds(totalFrames + 1, rate));
  const parts = [`color=c=black:s=${width}x${height}:r=${rate.text}:d=${total},format=yuva420p[o]`];
  let previous = 'o';
  for (const [k, segment] of segments.entries()) {
    const shift = `${starts[k]}*${rate.den}/${rate.num}/TB`;
    const fadeIn = k === 0 ? '' : `fade=t=in:s=0:n=${segment.entry.crossfadeIn}:alpha=1,`;
    parts.push(`[${k}:v]format=yuva420p,${fadeIn}setpts=PTS-STARTPTS+${shift}[s${k}]`);
    parts.push(`[${previous}][s${k}]overlay=eof_action=pass[o${k}]`);
    previous = `o${k}`;
  }
  parts.push(`[${previous}]format=yuv420p,setpts=PTS-STARTPTS[out]`);
  return parts.join(';');
}

export interface CrossfadeJoinRequest {
  segments: Segment[];
  rate: FrameRate;
  width: number;
  height: number;
  useXfade: boolean;
  workDir: string;
  onFraction?: (fraction: number) => void;
}

/** Joins a run of crossfaded shots into one segment exactly as long as the timeline says. */
export async function joinCrossfadeGroup(request: CrossfadeJoinRequest): Promise<string> {
  const { segments, rate, width, height } = request;
  const frames = segments.reduce((sum, s) => sum + s.entry.frames - s.entry.crossfadeIn, 0);
  const graph = request.useXfade ? xfadeGraph(segments, rate) : overlayCrossfadeGraph(segments, rate, width, height, frames);
  const first = segments[0]!.entry;
  const path = join(request.workDir, `group-${String(first.index).padStart(4, '0')}.mp4`);
  const args = [
    ...segments.flatMap((s) => ['-i', s.path]),
    '-filter_complex', graph, '-map', '[out]', '-frames:v', String(frames), '-an',
    ...h264Args(rate.text), '-f', 'mp4', path,
  ];
  try {
    await runFfmpegWithProgress(args, { durationSec: framesToSeconds(frames, rate), ...(request.onFraction ? { onFraction: request.onFraction } : {}) });
  } catch (cause) {
    const ids = segments.map((s) => s.entry.id);
    throw new RenderError('RENDER_JOIN_FAILED', `crossfading shots ${ids.join(', ')} failed: ${cause instanceof FfmpegRunFailure ? cause.logTail : String(cause)}`, {
      shotId: first.id,
      hint: 'shorten the crossfades or set those transitions to cut, then render again',
      cause,
    });
  }
  return path;
}
