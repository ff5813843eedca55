import type { ApiGraph } from '../comfy/graph.js';
import { modelByFile } from '../catalog/models/index.js';
import { modelFilesOf } from '../catalog/templates/requirements.js';
import type { ManifestModel } from './manifest.js';

/** A model file a run loaded, as the pipeline knows it (the worker's inventory may add size and hash). */
export interface ModelUse {
  file: string;
  folder: string;
  sizeBytes?: number;
  sha256?: string;
}

/** Licence recorded for files the catalogue does not know; policy treats them as not cleared for commercial use. */
export const UNKNOWN_LICENCE = { name: 'unknown', commercialUse: null } as const;

/**
 * Each file with its catalogue entry: model id and name, size (the worker's measured size when
 * given, else the catalogue's), and licence. Unknown files get the `unknown` licence.
 */
export function describeModels(uses: readonly ModelUse[]): ManifestModel[] {
  const seen = new Set<string>();
  const out: ManifestModel[] = [];
  for (const use of uses) {
    const key = `${use.folder}/${use.file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hit = modelByFile(use.file);
    const base = { file: use.file, folder: use.folder, ...(use.sha256 ? { sha256: use.sha256.toLowerCase() } : {}) };
    if (!hit) {
      out.push({ ...base, ...(use.sizeBytes !== undefined ? { sizeBytes: use.sizeBytes } : {}), licence: { ...UNKNOWN_LICENCE } });
      continue;
    }
    const { model, variant } = hit;
    const measured = use.sizeBytes !== undefined;
    out.push({
      ...base,
      modelId: model.id,
      name: model.name,
      sizeBytes: use.sizeBytes ?? variant.sizeBytes,
      ...(!measured && variant.sizeEstimated ? { sizeEstimated: true } : {}),
      licence: { name: model.licence.name, url: model.licence.url, commercialUse: model.licence.commercialUse, ...(model.licence.notes ? { notes: model.licence.notes } : {}) },
    });
  }
  return out;
}

/** Model files a submitted graph loads (loader inputs, RIFE checkpoints, IP-Adapter presets). */
export function modelUsesOf(graph: ApiGraph): ModelUse[] {
  return modelFilesOf(graph).map(({ file, folder }) => ({ file, folder }));
}

const SEED_INPUTS = new Set(['seed', 'noise_seed']);

/** Every literal seed in the graph, keyed `<node id>.<input>` (e.g. `"3.seed": 42`). */
export function seedsOf(graph: ApiGraph): Record<string, number> {
  const seeds: Record<string, number> = {};
  for (const [id, node] of Object.entries(graph)) {
    for (const [input, value] of Object.entries(node.inputs)) {
      if (SEED_INPUTS.has(input) && typeof value === 'number') seeds[`${id}.${input}`] = value;
    }
  }
  return seeds;
}
