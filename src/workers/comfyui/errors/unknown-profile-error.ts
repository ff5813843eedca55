import { StoryCoreError } from '../../../errors/storycore-error.js';
import { LAUNCH_PROFILE_IDS } from '../profiles.js';

/** `--profile` names no launch profile. */
export class UnknownProfileError extends StoryCoreError {
  constructor(profile: string) {
    super('COMFYUI_PROFILE_UNKNOWN', `unknown ComfyUI launch profile '${profile}'`, {
      hint: `use one of ${LAUNCH_PROFILE_IDS.join(', ')} (storycore comfyui profiles shows their flags)`,
    });
  }
}
