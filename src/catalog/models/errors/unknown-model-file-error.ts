import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A download plan names a file the catalogue does not know, so it has no URL or size. */
export class UnknownModelFileError extends StoryCoreError {
  readonly file: string;

  constructor(folder: string, file: string) {
    super('MODEL_FILE_UNKNOWN', `${folder}/${file} is not in the model catalogue`, {
      hint: 'download it by hand into that ComfyUI models folder, or add it to src/catalog/models/',
    });
    this.file = file;
  }
}
