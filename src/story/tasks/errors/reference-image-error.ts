import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A character reference image named in story.yaml cannot be read. */
export class ReferenceImageError extends StoryCoreError {
  constructor(character: string | undefined, shotId: string, path: string, cause?: unknown) {
    const whose = character ? `of character '${character}' ` : '';
    super('STORY_REFERENCE_MISSING', `reference image ${path} ${whose}(used by ${shotId}) cannot be read`, {
      hint: `reference paths are relative to story.yaml; fix the path under ${character ? `the references of character '${character}'` : 'characters[].references'} or remove it`,
      cause,
    });
  }
}
