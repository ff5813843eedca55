import { StoryCoreError } from '../../../errors/storycore-error.js';

/** `--force shot-9` named a shot the story does not have. */
export class UnknownShotError extends StoryCoreError {
  constructor(shot: string, known: readonly string[]) {
    super('STORY_UNKNOWN_SHOT', `the story has no shot '${shot}'`, {
      hint: `use one of ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''} (shot-3 means shot-003)`,
    });
  }
}
