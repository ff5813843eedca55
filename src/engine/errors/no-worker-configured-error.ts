import { StoryCoreError } from '../../errors/storycore-error.js';

/** `generate` has nowhere to run: no worker in the config or the local list, and no --sim. */
export class NoWorkerConfiguredError extends StoryCoreError {
  constructor() {
    super('CONFIG_NO_WORKER', 'no ComfyUI worker is configured, so nothing can be generated', {
      hint: 'add one with `storycore workers add http://HOST:8188` (or under workers: in storycore.config.yaml), or pass --sim for an animatic made by the built-in emulator',
    });
  }
}
