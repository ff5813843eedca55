import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { coverageNeeded } from '../platform/font.js';
import { joinCrossfadeGroup } from './crossfade-group.js';
import { RenderError } from './errors/render-error.js';
import { detectFilterSupport, type FilterSupport } from './ffmpeg-filters.js';
import { FfmpegRunFailure, runFfmpegWithProgress } from './ffmpeg-progress.js';
import { mapBounded } from './bounded-parallel.js';
import { writeAtomically } from './atomic-output.js';
import { framesToSeconds, secondsText } from './frame-rate.js';
import { parseRenderPlan, type RenderAudio, type RenderPlan, type RenderPlanInput } from './render-plan.js';
import { RenderProgressTracker, type RenderProgress } from './render-progress.js';
import { renderShotSegment, type Segment } from './shot-segment.js';
import { buildTimeline, type ShotAdjustment } from './timeline.js';
import { makeScratchDir } from '../platform/scratch-dir.js';

export interface FinalCutOptions {
  /** Where the cut goes (an .mp4); written to a temp file beside it and renamed when complete. */
  out: string;
  onProgress?: (progress: RenderProgress) => void;
  /** Shots normalised at once; each ffmpeg already uses several threads. Default 2. */
  parallelism?: number;
  /** Turn off `drawtext` or `xfade` to force their fallbacks (a filter ffmpeg lacks stays off). */
  filters?: Partial<FilterSupport>;
  /** Folder for intermediates; default a fresh temp folder, removed afterwards. */
  workDir?: string;
}

export interface FinalCutResult {
  path: string;
  durationSec: number;
  frames: number;
  width: number;
  height: number;
  fps: number;
  /** Every place the cut differs from the plan (a clip held on its last frame, a crossfade shortened). */
  adjustments: ShotAdjustment[];
  captionRenderer: 'drawtext' | 'overlay' | 'none';
  crossfadeFilter: 'xfade' | 'overlay' | 'none';
}

function escapeConcatPath(path: string): string {
  return `file '${path.replace(/'/g, "'\\''")}'`;
}

function audioFilter(audio: RenderAudio, totalSec: number): string {
  const filters: string[] = [];
  if (audio.gainDb) filters.push(`volume=${audio.gainDb}dB`);
  if (audio.fadeOutSec) {
    const length = Math.min(audio.fadeOutSec, totalSec);
    filters.push(`afade=t=out:st=${secondsText(totalSec - length)}:d=${secondsText(length)}`);
  }
  // Pad with silence so a short track still spans the cut; -t trims a long one.
  filters.push('apad');
  return filters.join(',');
}

async function effectiveFilters(override: Partial<FilterSupport> | undefined): Promise<FilterSupport> {
  const found = await detectFilterSupport();
  return { drawtext: found.drawtext && override?.drawtext !== false, xfade: found.xfade && override?.xfade !== false };
}

/**
 * Renders the finished cut: every shot normalised to the project's rate and size (two at a
 * time), crossfade runs joined with `xfade` (or an alpha-overlay fallback), then all pieces
 * concatenated without re-encoding, the audio mixed in, and the mp4 moved into place.
 *
 * @example
 * const cut = await renderFinalCut({ fps: 24, width: 1280, height: 720, shots }, { out: 'out/final.mp4' });
 * for (const note of cut.adjustments) console.warn(`${note.shotId}: ${note.message}`);
 */
export async function renderFinalCut(planInput: RenderPlanInput | RenderPlan, options: FinalCutOptions): Promise<FinalCutResult> {
  const plan = parseRenderPlan(planInput);
  const timeline = buildTimeline(plan);
  const { rate } = timeline;
  const filters = await effectiveFilters(options.filters);
  if (plan.audio) {
    try {
      await access(plan.audio.path);
    } catch (cause) {
      throw new RenderError('RENDER_INPUT_MISSING', `audio track ${plan.audio.path} does not exist`, { hint: 'point audio.path at an existing file or leave audio out', cause });
    }
  }

  const progress = new RenderProgressTracker(options.onProgress);
  for (const entry of timeline.shots) progress.addStep(`shot:${entry.id}`, entry.frames);
  for (const group of timeline.groups) {
    if (group.length > 1) progress.addStep(`group:${group[0]!.id}`, group.reduce((n, e) => n + e.frames, 0));
  }
  // Muxing copies the video, so it is cheap next to encoding.
  progress.addStep('mux', timeline.totalFrames * 0.05);

  const workDir = options.workDir ?? (await makeScratchDir('render'));
  try {
    const segments = await mapBounded(timeline.shots, options.parallelism ?? 2, (entry) =>
      renderShotSegment({
        shot: plan.shots[entry.index]!,
        entry,
        timeline,
        width: plan.width,
        height: plan.height,
        captions: plan.captions,
        filters,
        workDir,
        onFraction: progress.stepListener(`shot:${entry.id}`, 'shots', entry.id),
      }),
    );
    const pieces = await mapBounded(timeline.groups, options.parallelism ?? 2, async (group) => {
      const members: Segment[] = group.map((entry) => segments[entry.index]!);
      if (members.length === 1) return members[0]!.path;
      return joinCrossfadeGroup({
        segments: members,
        rate,
        width: plan.width,
        height: plan.height,
        useXfade: filters.xfade,
        workDir,
        onFraction: progress.stepListener(`group:${group[0]!.id}`, 'crossfades', group[0]!.id),
      });
    });

    const list = join(workDir, 'pieces.txt');
    await writeFile(list, `${pieces.map(escapeConcatPath).join('\n')}\n`);
    const totalSec = framesToSeconds(timeline.totalFrames, rate);
    await writeAtomically(options.out, async (temp) => {
      const args = ['-f', 'concat', '-safe', '0', '-i', list];
      if (plan.audio) args.push('-i', plan.audio.path);
      args.push('-map', '0:v:0', '-c:v', 'copy');
      if (plan.audio) args.push('-map', '1:a:0', '-af', audioFilter(plan.audio, totalSec), '-c:a', 'aac', '-b:a', '192k');
      args.push('-t', secondsText(totalSec), '-movflags', '+faststart', '-f', 'mp4', temp);
      try {
        await runFfmpegWithProgress(args, { durationSec: totalSec, onFraction: progress.stepListener('mux', 'mux') });
      } catch (cause) {
        const log = cause instanceof FfmpegRunFailure ? cause.logTail : String(cause);
        throw plan.audio
          ? new RenderError('RENDER_AUDIO_FAILED', `adding the audio track ${plan.audio.path} failed: ${log}`, { hint: 'check the audio file plays (ffmpeg -i <file> -f null -) or leave audio out', cause })
          : new RenderError('RENDER_JOIN_FAILED', `joining the shots failed: ${log}`, { hint: 'run again; if it persists, report it with the log above', cause });
      }
    });

    const shotAdjustments = segments.flatMap((segment) => segment.adjustments);
    return {
      path: options.out,
      durationSec: totalSec,
      frames: timeline.totalFrames,
      width: plan.width,
      height: plan.height,
      fps: rate.num / rate.den,
      adjustments: [...timeline.adjustments, ...shotAdjustments],
      captionRenderer: plan.captions && plan.shots.some((s) => s.caption?.trim()) ? (filters.drawtext && plan.shots.every((s) => coverageNeeded(s.caption ?? '').length === 0) ? 'drawtext' : 'overlay') : 'none',
      crossfadeFilter: timeline.groups.some((g) => g.length > 1) ? (filters.xfade ? 'xfade' : 'overlay') : 'none',
    };
  } finally {
    if (!options.workDir) await rm(workDir, { recursive: true, force: true });
  }
}
