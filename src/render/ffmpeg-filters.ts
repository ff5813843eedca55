import { execFile } from 'node:child_process';
import { ffmpegPath } from '../platform/ffmpeg.js';

/** Optional filters the cut uses when present; each has a fallback built from core filters. */
export interface FilterSupport {
  /** `drawtext` needs libfreetype; without it captions are sharp-rendered PNGs + `overlay`. */
  drawtext: boolean;
  /** `xfade` is ffmpeg >= 4.3; without it crossfades are alpha fades + `overlay`. */
  xfade: boolean;
}

const cache = new Map<string, Promise<FilterSupport>>();

/** Parses `ffmpeg -filters`: lines like ` T.C drawtext          V->V       Draw text…`. */
export function parseFilterList(output: string): Set<string> {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    const match = /^\s*[A-Z.|]{2,3}\s+(\w+)\s+\S+->\S+/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}

/** Which optional filters this machine's ffmpeg has; asked once per ffmpeg binary. */
export function detectFilterSupport(): Promise<FilterSupport> {
  const binary = ffmpegPath();
  let found = cache.get(binary);
  if (!found) {
    found = new Promise((resolve) => {
      execFile(binary, ['-hide_banner', '-filters'], { maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
        // An ffmpeg that cannot list filters gets the fallbacks, which need only core filters.
        const names = error ? new Set<string>() : parseFilterList(stdout);
        resolve({ drawtext: names.has('drawtext'), xfade: names.has('xfade') });
      });
    });
    cache.set(binary, found);
  }
  return found;
}
