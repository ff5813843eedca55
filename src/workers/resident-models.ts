import type { ApiGraph } from '../comfy/graph.js';
import { modelInputFolder } from '../comfy/object-info/model-lists.js';
import type { ObjectInfo } from '../comfy/object-info/types.js';

/** A model file ComfyUI is believed to hold in memory: a loader used it in a finished job. */
export interface ResidentModel {
  folder: string;
  file: string;
  /** When a job that loaded it last completed (clock ms). */
  lastUsedAt: number;
}

/**
 * The model files a graph's loaders name (`CheckpointLoaderSimple.ckpt_name`,
 * `LoraLoader.lora_name`, `UNETLoader.unet_name`…), as folder + file. Links are skipped:
 * only literal file names tell us what was loaded.
 */
export function loaderFilesOf(graph: ApiGraph, objectInfo?: ObjectInfo): Array<{ folder: string; file: string }> {
  const found = new Map<string, { folder: string; file: string }>();
  for (const node of Object.values(graph)) {
    for (const [input, value] of Object.entries(node.inputs ?? {})) {
      if (typeof value !== 'string' || value === '' || value === 'None') continue;
      const folder = modelInputFolder(node.class_type, input, objectInfo?.[node.class_type]);
      if (folder) found.set(`${folder}/${value}`, { folder, file: value });
    }
  }
  return [...found.values()];
}
