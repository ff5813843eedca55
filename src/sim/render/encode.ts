import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ffmpegPath } from '../../platform/ffmpeg.js';
import { FfmpegError } from '../../platform/errors/ffmpeg-error.js';

export type ClipFormat = 'mp4' | 'webm' | 'webp' | 'apng' | 'gif' | 'mkv';

export interface ClipOptions {
  path: string;
  width: number;
  height: number;
  fps: number;
  format: ClipFormat;
  /** webm/mp4 quality (lower is better). */
  crf?: number;
  /** webp */
  lossless?: boolean;
  quality?: number;
  codec?: 'h264' | 'vp9' | 'av1';
}

/** ffmpeg wants a rational for odd rates: 23.976 → 23976/1000. */
export function fpsArg(fps: number): string {
  return Number.isInteger(fps) ? String(fps) : `${Math.round(fps * 1000)}/1000`;
}

function outputArgs(o: ClipOptions): string[] {
  const even = ['-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2'];
  switch (o.format) {
    case 'mp4':
    case 'mkv':
      return [...even, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(o.crf ?? 23), '-pix_fmt', 'yuv420p', ...(o.format === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'matroska'])];
    case 'webm':
      return [...even, '-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', String(Math.round(o.crf ?? 32)), '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p', '-f', 'webm'];
    case 'webp':
      return ['-c:v', 'libwebp_anim', '-loop', '0', '-lossless', o.lossless ? '1' : '0', '-quality', String(o.quality ?? 80), '-f', 'webp'];
    case 'apng':
      return ['-plays', '0', '-f', 'apng'];
    case 'gif':
      return ['-loop', '0', '-f', 'gif'];
  }
}

/**
 * Pipes raw RGB frames into ffmpeg and writes a clip with exactly those frames at `fps`.
 * Backpressure is honoured, so a long clip never sits in memory at once.
 */
export async function encodeClip(frames: AsyncIterable<Buffer>, o: ClipOptions): Promise<number> {
  const args = [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', `${o.width}x${o.height}`, '-framerate', fpsArg(o.fps), '-i', 'pipe:0',
    ...outputArgs(o),
    o.path,
  ];
  const child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  child.stdin.on('error', () => undefined); // EPIPE when ffmpeg dies early; reported via the exit code
  let count = 0;
  try {
    for await (const frame of frames) {
      count += 1;
      if (!child.stdin.write(frame)) await Promise.race([once(child.stdin, 'drain'), exited]);
      if (child.exitCode !== null) break;
    }
  } finally {
    child.stdin.end();
  }
  const code = await exited;
  if (code !== 0) {
    throw new FfmpegError('FFMPEG_FAILED', `ffmpeg could not encode ${o.path}: ${stderr.trim().split('\n').slice(-2).join(' | ') || `exit ${code}`}`, {
      hint: 'check the ffmpeg build supports the codec (libx264, libvpx-vp9, libwebp)',
    });
  }
  return count;
}
