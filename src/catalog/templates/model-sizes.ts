import { modelByFile } from '../models/index.js';

/**
 * Size in GB (decimal, as Hugging Face shows it) of a model file, from the model catalogue
 * (src/catalog/models), the one source of sizes and VRAM; 0 when the catalogue does not know
 * the file. Used for load-time estimates. Every file a template loads by default is in the
 * catalogue (test/catalog-templates/vram-consistency.test.ts checks it).
 */
export function modelSizeGb(file: string): number {
  const entry = modelByFile(file);
  return entry ? Math.round(entry.variant.sizeBytes / 1e6) / 1000 : 0;
}
