import { ffmpegPath } from '../../src/platform/ffmpeg.js';

/**
 * True when no ffmpeg can be found (system or @ffmpeg-installer's): the suite skips locally
 * with a message, and fails in CI (STORYCORE_REQUIRE_SERVICES=1).
 */
export function missingFfmpeg(): boolean {
  try {
    ffmpegPath();
    return false;
  } catch {
    if (process.env.STORYCORE_REQUIRE_SERVICES === '1') throw new Error('ffmpeg is required (STORYCORE_REQUIRE_SERVICES=1): apt-get install -y ffmpeg');
    console.warn('skipping: ffmpeg not found — install it with: apt-get install -y ffmpeg');
    return true;
  }
}
