import { spawn } from 'node:child_process';
import { ffmpegPath } from '../platform/ffmpeg.js';

export interface FfmpegRunOptions {
  /** Expected output length; `out_time` divided by it is the fraction done. */
  durationSec: number;
  onFraction?: (fraction: number) => void;
  env?: NodeJS.ProcessEnv;
}

/** ffmpeg exited non-zero; `logTail` holds the last lines of its log for the error message. */
export class FfmpegRunFailure extends Error {
  constructor(readonly exitCode: number | null, readonly logTail: string) {
    super(`ffmpeg exited with ${exitCode}: ${logTail}`);
    this.name = 'FfmpegRunFailure';
  }
}

/** Reads `out_time_us=…` (or the older `out_time_ms=`, also µs) from `-progress` lines. */
export function parseProgressLine(line: string): number | undefined {
  const match = /^out_time_(?:us|ms)=(\d+)$/.exec(line.trim());
  return match ? Number(match[1]) / 1e6 : undefined;
}

/**
 * Runs ffmpeg with `-progress pipe:1` and reports the fraction done from its `out_time`.
 * Resolves with the log (stderr); rejects with `FfmpegRunFailure` carrying the log's tail.
 */
export function runFfmpegWithProgress(args: string[], options: FfmpegRunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-y', '-progress', 'pipe:1', '-nostats', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    let stderr = '';
    let pending = '';
    let last = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const seconds = parseProgressLine(line);
        if (seconds === undefined || options.durationSec <= 0) continue;
        const fraction = Math.min(1, seconds / options.durationSec);
        if (fraction > last) {
          last = fraction;
          options.onFraction?.(fraction);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Keep the log bounded: a long render logs a lot and only the end explains a failure.
      stderr = (stderr + chunk).slice(-256 * 1024);
    });
    child.on('error', (error) => reject(new FfmpegRunFailure(null, error.message)));
    child.on('close', (code) => {
      if (code === 0) {
        if (last < 1) options.onFraction?.(1);
        resolve(stderr);
      } else {
        reject(new FfmpegRunFailure(code, stderr.trim().split('\n').slice(-4).join(' | ')));
      }
    });
  });
}
