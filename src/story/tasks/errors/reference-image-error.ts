import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A character reference image named in story.yaml cannot be read. */
export class ReferenceImageError extends StoryCoreError {
  constructor(character: string, path: string, cause?: unknown) {
    super('STORY_REFERENCE_MISSING', `reference image ${path} of character '${character}' cannot be read`, {
      hint: 'reference paths are relative to story.yaml; fix the path under characters[].references or remove it',
      cause,
    });
  }
}
