import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { ffmpegPath, runFfmpeg } from '../../src/platform/ffmpeg.js';

const exec = promisify(execFile);

/** A short H.264 test-pattern clip (testsrc) at the given size and rate. */
export async function makeClip(path: string, spec: { width: number; height: number; fps: number; seconds: number }): Promise<string> {
  await runFfmpeg([
    '-y', '-f', 'lavfi', '-i', `testsrc=size=${spec.width}x${spec.height}:rate=${spec.fps}:duration=${spec.seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path,
  ]);
  return path;
}

/** A flat-colour PNG keyframe, optionally with a white square so scaling is visible. */
export async function makeKeyframe(path: string, spec: { width: number; height: number; color: { r: number; g: number; b: number } }): Promise<string> {
  await sharp({ create: { width: spec.width, height: spec.height, channels: 3, background: spec.color } }).png().toFile(path);
  return path;
}

/** A mono sine tone. */
export async function makeTone(path: string, seconds: number): Promise<string> {
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'pcm_s16le', path]);
  return path;
}

/** Stream lines of `ffmpeg -i file` (it exits non-zero without an output; the log is what we want). */
export async function streamLines(path: string): Promise<string[]> {
  const { stderr } = await exec(ffmpegPath(), ['-hide_banner', '-i', path]).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
  return stderr.split('\n').filter((line) => /Stream #\d+:\d+/.test(line));
}

/** Frame `index` of a video as raw RGB, to look at pixels. */
export async function frameAt(path: string, seconds: number, out: string): Promise<{ data: Buffer; width: number; height: number }> {
  await runFfmpeg(['-y', '-ss', seconds.toFixed(3), '-i', path, '-frames:v', '1', out]);
  const { data, info } = await sharp(out).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean absolute difference per channel of two same-size raw frames, 0…255. */
export function meanDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Mean RGB of a rectangle of a raw RGB frame. */
export function meanColor(frame: { data: Buffer; width: number }, box: { left: number; top: number; width: number; height: number }): [number, number, number] {
  const sums = [0, 0, 0];
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) {
      const at = (y * frame.width + x) * 3;
      for (let c = 0; c < 3; c++) sums[c]! += frame.data[at + c]!;
    }
  }
  const n = box.width * box.height;
  return [sums[0]! / n, sums[1]! / n, sums[2]! / n];
}
