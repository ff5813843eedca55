import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { FfmpegError } from './errors/ffmpeg-error.js';
import { storageError } from './storage-errors.js';

const require = createRequire(import.meta.url);
let cached: string | undefined;

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * The ffmpeg to run: `STORYCORE_FFMPEG` when set, else `ffmpeg` on PATH (the system's, e.g.
 * Debian's), else the static binary shipped by `@ffmpeg-installer/ffmpeg`.
 */
export function ffmpegPath(): string {
  if (cached) return cached;
  const override = process.env.STORYCORE_FFMPEG;
  if (override) return (cached = override);
  const system = onPath(process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
  if (system) return (cached = system);
  try {
    const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
    return (cached = installer.path);
  } catch (cause) {
    throw new FfmpegError('FFMPEG_NOT_FOUND', 'ffmpeg was not found on PATH and @ffmpeg-installer/ffmpeg has no binary for this platform', {
      hint: 'install ffmpeg (apt-get install -y ffmpeg) or set STORYCORE_FFMPEG=/path/to/ffmpeg',
      cause,
    });
  }
}

/** Runs ffmpeg with `args`; resolves with stderr (where ffmpeg logs), rejects with `FfmpegError`. */
export function runFfmpeg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath(), ['-hide_banner', ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      // ffmpeg exits 0 when only closing the output failed: a truncated file must not pass as done.
      if (/No space left on device/i.test(stderr)) {
        const output = args.at(-1) ?? 'its output';
        reject(storageError(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }), output));
        return;
      }
      if (error) {
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new FfmpegError('FFMPEG_FAILED', `ffmpeg failed: ${tail || error.message}`, { hint: 'run with --verbose to see the ffmpeg command, then run it by hand for the full log', cause: error }));
      } else {
        resolve(stderr);
      }
    });
  });
}

export interface VideoProbe {
  frames: number;
  fps: number;
  width: number;
  height: number;
  durationSeconds: number;
  codec: string;
}

/**
 * Counts frames and reads fps/size/codec of a video without ffprobe: remuxes the first video
 * stream to the null muxer and parses ffmpeg's log (`Stream #0:0 … Video: h264 …, 64x48, … 16 fps`
 * and the final `frame=   81`).
 */
export async function probeVideo(path: string): Promise<VideoProbe> {
  const log = await runFfmpeg(['-i', path, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-']);
  return parseProbeLog(log);
}

export function parseProbeLog(log: string): VideoProbe {
  const stream = /Stream #\d+:\d+.*?: Video: (\w+)[^\n]*?, (\d+)x(\d+)[^\n]*?, ([\d.]+) (?:fps|tbr)/.exec(log);
  const frameMatches = [...log.matchAll(/frame=\s*(\d+)/g)];
  const duration = /Duration: (\d+):(\d+):([\d.]+)/.exec(log);
  if (!stream || frameMatches.length === 0) {
    throw new FfmpegError('FFMPEG_FAILED', 'could not read the video stream from ffmpeg output', { hint: 'check the file is a valid video' });
  }
  return {
    codec: stream[1]!,
    width: Number(stream[2]),
    height: Number(stream[3]),
    fps: Number(stream[4]),
    frames: Number(frameMatches.at(-1)![1]),
    durationSeconds: duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : Number.NaN,
  };
}
