import { StoryCoreError } from '../../../errors/storycore-error.js';

/** No variant of a model fits the worker's VRAM (or none of the fitting ones is on the worker). */
export class NoVariantFitsError extends StoryCoreError {
  readonly modelId: string;
  readonly vramBytes: number;

  constructor(modelId: string, vramBytes: number, message: string, hint: string) {
    super('MODEL_NO_VARIANT_FITS', message, { hint });
    this.modelId = modelId;
    this.vramBytes = vramBytes;
  }
}
