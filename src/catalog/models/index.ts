import { controlnetModels } from './controlnet.js';
import { UnknownModelFileError } from './errors/unknown-model-file-error.js';
import { hunyuanModels } from './hunyuan.js';
import { interpolationModels } from './interpolation.js';
import { ipAdapterModels } from './ip-adapter.js';
import { modelSchema, type CatalogModel, type ModelVariant } from './model.js';
import { newbieModels } from './newbie.js';
import { qwenImageModels } from './qwen-image.js';
import { sd15Models } from './sd15.js';
import { sdxlModels } from './sdxl.js';
import { svdModels } from './svd.js';
import { upscalerModels } from './upscalers.js';
import { wanVaceAlphaModels } from './wan-vace-alpha.js';
import { wan22Models } from './wan22.js';

export * from './model.js';
export { choosePrecision, type PrecisionChoice, type PrecisionRequest } from './precision.js';
export { NoVariantFitsError } from './errors/no-variant-fits-error.js';
export { UnknownModelFileError } from './errors/unknown-model-file-error.js';

let cached: readonly CatalogModel[] | undefined;
let byId: Map<string, CatalogModel> | undefined;
let byFile: Map<string, { model: CatalogModel; variant: ModelVariant }> | undefined;

/** Every catalogue model, validated once with the zod schema (a bad entry fails at first use). */
export function allModels(): readonly CatalogModel[] {
  if (!cached) {
    const list = [
      ...wan22Models, ...wanVaceAlphaModels, ...hunyuanModels, ...qwenImageModels, ...newbieModels, ...sd15Models,
      ...sdxlModels, ...svdModels, ...controlnetModels, ...ipAdapterModels, ...interpolationModels, ...upscalerModels,
    ].map((m) => modelSchema.parse(m));
    byId = new Map();
    byFile = new Map();
    for (const model of list) {
      if (byId.has(model.id)) throw new Error(`duplicate model id ${model.id}`);
      byId.set(model.id, model);
      for (const variant of model.variants) {
        if (byFile.has(variant.file)) throw new Error(`file ${variant.file} appears in two catalogue models`);
        byFile.set(variant.file, { model, variant });
      }
    }
    cached = Object.freeze(list);
  }
  return cached;
}

export function modelById(id: string): CatalogModel | undefined {
  allModels();
  return byId!.get(id);
}

/** The model and variant a ComfyUI file name belongs to (e.g. a loader input in a template). */
export function modelByFile(file: string): { model: CatalogModel; variant: ModelVariant } | undefined {
  allModels();
  return byFile!.get(file);
}

/** Folder key → every catalogue file in it, e.g. to fill an emulator's model lists. */
export function filesForFolder(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const model of allModels()) for (const v of model.variants) (out[v.folder] ??= []).push(v.file);
  for (const files of Object.values(out)) files.sort();
  return out;
}

export interface PlannedDownload {
  folder: string;
  file: string;
  url: string;
  sizeBytes: number;
  sizeEstimated: boolean;
  modelId: string;
}

/** Sizes and URLs for files a worker lacks; duplicates collapse. Unknown files throw. */
export function planDownloads(files: { folder: string; file: string }[]): { items: PlannedDownload[]; totalBytes: number; estimated: boolean } {
  const seen = new Set<string>();
  const items: PlannedDownload[] = [];
  for (const { folder, file } of files) {
    const key = `${folder}/${file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hit = modelByFile(file);
    if (!hit || hit.variant.folder !== folder) throw new UnknownModelFileError(folder, file);
    items.push({ folder, file, url: hit.variant.url, sizeBytes: hit.variant.sizeBytes, sizeEstimated: hit.variant.sizeEstimated ?? false, modelId: hit.model.id });
  }
  return { items, totalBytes: items.reduce((sum, i) => sum + i.sizeBytes, 0), estimated: items.some((i) => i.sizeEstimated) };
}
