import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A download plan names a file the catalogue does not know, so it has no URL or size. */
export class UnknownModelFileError extends StoryCoreError {
  readonly file: string;

  constructor(folder: string, file: string) {
    super('MODEL_FILE_UNKNOWN', `${folder}/${file} is not in the model catalogue`, {
      hint: 'StoryCore has no download URL for it: copy the file by hand into that models folder of the ComfyUI worker',
    });
    this.file = file;
  }
}
