import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { probeVideo } from '../platform/ffmpeg.js';
import { coverageNeeded } from '../platform/font.js';
import { drawtextFilter, renderCaptionPng } from './caption.js';
import { fitFilter, h264Args } from './encode-settings.js';
import { RenderError } from './errors/render-error.js';
import { FfmpegRunFailure, runFfmpegWithProgress } from './ffmpeg-progress.js';
import type { FilterSupport } from './ffmpeg-filters.js';
import { framesToSeconds, secondsText } from './frame-rate.js';
import type { RenderShot } from './render-plan.js';
import type { ShotAdjustment, Timeline, TimelineShot } from './timeline.js';

export interface SegmentRequest {
  shot: RenderShot;
  entry: TimelineShot;
  timeline: Timeline;
  width: number;
  height: number;
  captions: boolean;
  filters: FilterSupport;
  workDir: string;
  onFraction?: (fraction: number) => void;
}

export interface Segment {
  path: string;
  entry: TimelineShot;
  adjustments: ShotAdjustment[];
}

async function requireInput(path: string, shot: RenderShot, what: 'clip' | 'keyframe'): Promise<void> {
  try {
    await access(path);
  } catch (cause) {
    throw new RenderError('RENDER_INPUT_MISSING', `shot ${shot.id}: ${what} ${path} does not exist`, {
      shotId: shot.id,
      hint: what === 'clip'
        ? `render the shot's clip again, or drop \`clip\` to hold its keyframe as a still`
        : `render the shot's keyframe again, or point \`keyframe\` at an existing image`,
      cause,
    });
  }
}

/** How many project-rate frames a clip provides, from its own frame count and rate. */
async function clipFrames(request: SegmentRequest, clip: string): Promise<number> {
  const { shot, timeline } = request;
  try {
    const probe = await probeVideo(clip);
    return Math.floor(((probe.frames / probe.fps) * timeline.rate.num) / timeline.rate.den + 1e-6);
  } catch (cause) {
    throw new RenderError('RENDER_SHOT_FAILED', `shot ${shot.id}: cannot read clip ${clip}`, {
      shotId: shot.id,
      hint: `the file is not a playable video: render the shot's clip again (check it with: ffmpeg -i ${clip} -f null -)`,
      cause,
    });
  }
}

/**
 * Renders one shot to an intermediate H.264 file at the project's size and rate, exactly
 * `entry.frames` long: a clip is trimmed, or held on its last frame when short (reported);
 * a keyframe is held still. Fades and the burned-in caption are applied here.
 */
export async function renderShotSegment(request: SegmentRequest): Promise<Segment> {
  const { shot, entry, timeline, width, height, filters, workDir } = request;
  const rate = timeline.rate;
  const adjustments: ShotAdjustment[] = [];
  const inputs: string[] = [];
  const chain: string[] = [];
  const shotSec = framesToSeconds(entry.frames, rate);

  if (shot.clip) {
    await requireInput(shot.clip, shot, 'clip');
    const available = await clipFrames(request, shot.clip);
    inputs.push('-i', shot.clip);
    chain.push(`fps=${rate.text}`, fitFilter(width, height), 'format=yuv420p');
    if (available < entry.frames) {
      const missing = entry.frames - available;
      chain.push(`tpad=stop_mode=clone:stop_duration=${secondsText(framesToSeconds(missing + 2, rate))}`);
      adjustments.push({
        shotId: shot.id,
        kind: 'extended',
        message: `clip is ${framesToSeconds(available, rate).toFixed(2)}s but the shot is ${shotSec.toFixed(2)}s: held its last frame for ${framesToSeconds(missing, rate).toFixed(2)}s`,
      });
    } else if (available > entry.frames) {
      adjustments.push({ shotId: shot.id, kind: 'trimmed', message: `clip is ${framesToSeconds(available, rate).toFixed(2)}s: trimmed to the shot's ${shotSec.toFixed(2)}s` });
    }
  } else {
    const keyframe = shot.keyframe!;
    await requireInput(keyframe, shot, 'keyframe');
    inputs.push('-loop', '1', '-framerate', rate.text, '-i', keyframe);
    chain.push(fitFilter(width, height), 'format=yuv420p');
  }

  let graph = `[0:v]${chain.join(',')}[base]`;
  let last = 'base';
  const caption = request.captions ? shot.caption?.trim() : undefined;
  if (caption) {
    // drawtext draws with one font file; text needing the CJK/emoji fallbacks goes through Pango.
    if (filters.drawtext && coverageNeeded(caption).length === 0) {
      graph += `;[${last}]${await drawtextFilter(caption, join(workDir, `${entry.index}-caption.txt`), width, height)}[cap]`;
    } else {
      const png = await renderCaptionPng(caption, join(workDir, `${entry.index}-caption.png`), width, height);
      inputs.push('-i', png);
      graph += `;[1:v]format=rgba[capimg];[${last}][capimg]overlay=0:0:eof_action=repeat[cap]`;
    }
    last = 'cap';
  }
  const finish: string[] = [];
  if (entry.fadeIn > 0) finish.push(`fade=t=in:s=0:n=${entry.fadeIn}`);
  if (entry.fadeOut > 0) finish.push(`fade=t=out:s=${entry.frames - entry.fadeOut}:n=${entry.fadeOut}`);
  finish.push('format=yuv420p', 'setpts=PTS-STARTPTS');
  graph += `;[${last}]${finish.join(',')}[out]`;

  const path = join(workDir, `${String(entry.index).padStart(4, '0')}.mp4`);
  const args = [...inputs, '-filter_complex', graph, '-map', '[out]', '-frames:v', String(entry.frames), '-an', ...h264Args(rate.text), '-f', 'mp4', path];
  try {
    await runFfmpegWithProgress(args, { durationSec: shotSec, ...(request.onFraction ? { onFraction: request.onFraction } : {}) });
  } catch (cause) {
    const log = cause instanceof FfmpegRunFailure ? cause.logTail : String(cause);
    throw new RenderError('RENDER_SHOT_FAILED', `shot ${shot.id}: ffmpeg could not render it: ${log}`, {
      shotId: shot.id,
      hint: `check the shot's ${shot.clip ? `clip (${shot.clip})` : `keyframe (${shot.keyframe})`} opens: ffmpeg -i <file> -f null -; then re-render the shot`,
      cause,
    });
  }
  return { path, entry, adjustments };
}
