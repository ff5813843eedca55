import type { ApiGraph } from '../../comfy/graph.js';
import { modelInputsOf } from '../../comfy/object-info/model-lists.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import { modelByFile, PRECISION_RANK, type ModelVariant } from '../models/index.js';
import { modelSizeGb } from '../templates/model-sizes.js';
import { modelFilesOf } from '../templates/requirements.js';
import { formatBytes } from './bytes.js';
import { LISTABLE_FOLDERS } from './inventory.js';
import { settingThatLoads } from './template-settings.js';
import type { ModelToInstall, PreflightOptions, PreflightProblem, WorkerInventory } from './types.js';

/** A model file the graph loads, and which node input names it. */
export interface ModelRef {
  nodeId: string;
  classType: string;
  input?: string;
  folder: string;
  file: string;
}

/** Loader classes whose files modelFilesOf finds by preset or in a pack folder (no input names the file). */
const PRESET_LOADERS: Record<string, string[]> = {
  IPAdapterUnifiedLoader: ['ipadapter', 'clip_vision'],
  'RIFE VFI': ['custom_nodes/ComfyUI-Frame-Interpolation/ckpts/rife'],
};

/** Every model file a graph loads, with the node that loads it, in node order. */
export function modelRefsOf(graph: ApiGraph, objectInfo: ObjectInfo): ModelRef[] {
  const refs: ModelRef[] = modelInputsOf(graph, objectInfo).map(({ nodeId, classType, input, folder, file }) => ({ nodeId, classType, input, folder, file }));
  const seen = new Set(refs.map((r) => `${r.folder}/${r.file}`));
  for (const extra of modelFilesOf(graph)) {
    if (seen.has(`${extra.folder}/${extra.file}`)) continue;
    seen.add(`${extra.folder}/${extra.file}`);
    const owner = Object.entries(graph).find(([, node]) => PRESET_LOADERS[node.class_type]?.includes(extra.folder));
    refs.push({ nodeId: owner?.[0] ?? '?', classType: owner?.[1].class_type ?? '?', folder: extra.folder, file: extra.file });
  }
  return refs;
}

const baseName = (file: string): string => file.split(/[\\/]/).pop() ?? file;

/**
 * Where else the worker has a file: another folder (a diffusion model dropped in checkpoints/),
 * a subfolder (`wan/x.safetensors`), or the same name in another letter case.
 */
function findElsewhere(models: Record<string, string[]>, ref: ModelRef): { folder: string; file: string } | undefined {
  const want = baseName(ref.file);
  const candidates: { folder: string; file: string; score: number }[] = [];
  for (const [folder, files] of Object.entries(models)) {
    for (const file of files) {
      if (folder === ref.folder && file === ref.file) continue;
      const base = baseName(file);
      if (base === want) candidates.push({ folder, file, score: file === ref.file ? 0 : folder === ref.folder ? 1 : 2 });
      else if (base.toLowerCase() === want.toLowerCase()) candidates.push({ folder, file, score: 3 });
    }
  }
  const best = candidates.sort((a, b) => a.score - b.score)[0];
  return best ? { folder: best.folder, file: best.file } : undefined;
}

function has(models: Record<string, string[]>, folder: string, file: string): boolean {
  return models[folder]?.includes(file) ?? false;
}

/** Another precision of the same catalogue model that the worker has, best quality first. */
function presentVariant(models: Record<string, string[]>, file: string): ModelVariant | undefined {
  const hit = modelByFile(file);
  if (!hit) return undefined;
  return hit.model.variants
    .filter((v) => v.file !== file && has(models, v.folder, v.file))
    .sort((a, b) => PRECISION_RANK[b.precision] - PRECISION_RANK[a.precision])[0];
}

/** Size and URL of a file the worker lacks: the catalogue's, else the template size table's estimate. */
export function downloadOf(folder: string, file: string): ModelToInstall {
  const hit = modelByFile(file);
  if (hit) {
    return { folder, file, sizeBytes: hit.variant.sizeBytes, ...(hit.variant.sizeEstimated ? { sizeEstimated: true } : {}), url: hit.variant.url };
  }
  const gb = modelSizeGb(file);
  return gb > 0 ? { folder, file, sizeBytes: Math.round(gb * 1e9), sizeEstimated: true } : { folder, file };
}

function who(ref: ModelRef): string {
  return `node ${ref.nodeId}, ${ref.classType}${ref.input ? ` ${ref.input}` : ''}`;
}

export interface ModelCheck {
  problems: PreflightProblem[];
  missing: ModelToInstall[];
  /** `nodeId/input` of every model input reported here, so validation does not report it again. */
  reported: Set<string>;
}

/**
 * Checks that every model file the graph loads is in its folder on the worker. A file that is
 * elsewhere is a `wrong_folder` problem; a file that is nowhere is `missing_model`, with its
 * size and download URL and, when the worker has another precision of the same model, the
 * setting that switches to it.
 */
export function checkModels(graph: ApiGraph, inventory: WorkerInventory, objectInfo: ObjectInfo, options: PreflightOptions = {}): ModelCheck {
  const problems: PreflightProblem[] = [];
  const missing: ModelToInstall[] = [];
  const reported = new Set<string>();
  const seenMissing = new Set<string>();
  for (const ref of modelRefsOf(graph, objectInfo)) {
    const listed = inventory.models[ref.folder];
    // Pack-managed folders (RIFE) cannot be listed; the node's own list is checked by validation.
    if (listed === undefined && !LISTABLE_FOLDERS.includes(ref.folder)) continue;
    if (listed?.includes(ref.file)) continue;
    if (ref.input) reported.add(`${ref.nodeId}/${ref.input}`);

    const found = findElsewhere(inventory.models, ref);
    if (found) {
      const sameFolder = found.folder === ref.folder;
      problems.push({
        kind: 'wrong_folder',
        nodeId: ref.nodeId,
        classType: ref.classType,
        ...(ref.input ? { input: ref.input } : {}),
        folder: ref.folder,
        file: ref.file,
        foundAt: found,
        message: sameFolder
          ? `${ref.file} (${who(ref)}) is not in ${ref.folder}/ under that name; the worker has ${ref.folder}/${found.file}`
          : `${ref.file} (${who(ref)}) is in the wrong folder: found in ${found.folder}/${found.file === ref.file ? '' : ` as ${found.file}`}, expected ${ref.folder}/`,
        fix: sameFolder
          ? `rename or move models/${ref.folder}/${found.file} to models/${ref.folder}/${ref.file} on the worker${ref.input ? `, or set node ${ref.nodeId} input ${ref.input} to '${found.file}'` : ''}`
          : `move the file from models/${found.folder}/ to models/${ref.folder}/ on the worker (then refresh ComfyUI's model lists)`,
      });
      continue;
    }

    const download = downloadOf(ref.folder, ref.file);
    const key = `${ref.folder}/${ref.file}`;
    if (!seenMissing.has(key)) {
      seenMissing.add(key);
      missing.push(download);
    }
    const alternative = presentVariant(inventory.models, ref.file);
    const setting =
      alternative && options.template
        ? settingThatLoads(options.template, options.params ?? {}, alternative.file, ref.file, (folder, file) => has(inventory.models, folder, file) || !LISTABLE_FOLDERS.includes(folder))
        : undefined;
    const size = download.sizeBytes !== undefined ? `, ${download.sizeEstimated ? '≈' : ''}${formatBytes(download.sizeBytes)}` : '';
    const catalogFolder = modelByFile(ref.file)?.variant.folder;
    const folderNote = listed === undefined ? `; the worker lists no ${ref.folder}/ folder` : '';
    const wrongLoader = catalogFolder && catalogFolder !== ref.folder ? `; the catalogue keeps it in ${catalogFolder}/, so ${ref.classType} is the wrong loader for it` : '';
    const get = download.url ? `download ${download.url} into models/${ref.folder}/` : `download ${ref.file} by hand into models/${ref.folder}/ (it is not in the model catalogue)`;
    let fix = get;
    let message = `${ref.folder}/${ref.file} is missing (${who(ref)}${size})${folderNote}${wrongLoader}`;
    if (alternative) {
      message = `${ref.file} is missing (${who(ref)}${size}); the worker has the ${alternative.precision} variant ${alternative.file}`;
      fix = setting
        ? `use --set ${setting}, or ${get}`
        : `${ref.input ? `set node ${ref.nodeId} input ${ref.input} to '${alternative.file}'` : `use ${alternative.file}`}, or ${get}`;
    }
    problems.push({
      kind: 'missing_model',
      nodeId: ref.nodeId,
      classType: ref.classType,
      ...(ref.input ? { input: ref.input } : {}),
      folder: ref.folder,
      file: ref.file,
      ...(download.sizeBytes !== undefined ? { sizeBytes: download.sizeBytes } : {}),
      ...(download.url ? { url: download.url } : {}),
      ...(alternative ? { alternative: { file: alternative.file, precision: alternative.precision, ...(setting ? { setting } : {}) } } : {}),
      message,
      fix,
    });
  }
  return { problems, missing, reported };
}
