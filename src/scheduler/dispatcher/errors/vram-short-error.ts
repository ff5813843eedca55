import { StoryCoreError } from '../../../errors/storycore-error.js';

/**
 * Preflight estimates the job needs more VRAM than the chosen worker has: an out-of-memory
 * error caught before any GPU time, handled like one (a bigger card, or the lower-memory form).
 */
export class VramShortError extends StoryCoreError {
  constructor(jobId: string, worker: string, detail: string) {
    super('DISPATCH_VRAM_SHORT', `job ${jobId} does not fit ${worker}: ${detail}`, {
      hint: 'it moves to a worker with more VRAM or runs its lower-memory variant; lower width/height/length to fit smaller cards',
    });
  }
}
