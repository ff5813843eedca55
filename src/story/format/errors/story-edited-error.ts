import { StoryCoreError } from '../../../errors/storycore-error.js';

/** `plan` would replace a story.yaml that was edited after it was planned (or was not planned at all). */
export class StoryEditedError extends StoryCoreError {
  constructor(
    readonly file: string,
    hint = 'pass --force to replace it (the current file is kept as a .bak beside it), or --out to write the plan elsewhere',
  ) {
    super('STORY_EDITED', `${file} already exists and has edits that planning again would lose`, { hint });
  }
}
