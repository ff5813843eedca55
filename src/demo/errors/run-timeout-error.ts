import { StoryCoreError } from '../../errors/storycore-error.js';

/** A graph did not finish within the time the user allowed; the job was cancelled. */
export class RunTimeoutError extends StoryCoreError {
  constructor(promptId: string, timeoutMs: number) {
    super('RUN_TIMEOUT', `prompt ${promptId} did not finish within ${Math.round(timeoutMs / 1000)} s and was cancelled`, {
      hint: 'raise --timeout (seconds) or defaults.timeoutMs, or check that the worker is not stuck',
    });
  }
}
