import { StoryCoreError } from '../../errors/storycore-error.js';

/** ffmpeg is missing (`FFMPEG_NOT_FOUND`) or exited with an error (`FFMPEG_FAILED`). */
export class FfmpegError extends StoryCoreError {
  constructor(code: 'FFMPEG_NOT_FOUND' | 'FFMPEG_FAILED', message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
