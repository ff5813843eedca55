import { StoryCoreError } from '../../../errors/storycore-error.js';

/** No usable ComfyUI checkout to launch: `paths.comfyui.dir` is unset or has no main.py. */
export class ComfyuiNotConfiguredError extends StoryCoreError {
  constructor(reason: string) {
    super('COMFYUI_NOT_CONFIGURED', `cannot launch ComfyUI: ${reason}`, {
      hint: 'set paths.comfyui.dir (a ComfyUI checkout with main.py) and paths.comfyui.python in storycore.config.yaml, or --config-set paths.comfyui.dir=/path/to/ComfyUI',
    });
  }
}
