import type { ApiGraph } from '../../src/comfy/graph.js';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { applyModelLists } from '../../src/comfy/object-info/model-lists.js';
import { validatePrompt } from '../../src/comfy/validation/index.js';
import { requirementsOf } from '../../src/catalog/templates/requirements.js';

/**
 * Validates a built graph the way a worker holding exactly the graph's own model files and
 * input files would: loader combos list those files, LoadVideo lists the input videos.
 */
export function validateOnMatchingWorker(graph: ApiGraph) {
  const req = requirementsOf(graph);
  const models: Record<string, string[]> = {};
  for (const m of req.models) (models[m.folder] ??= []).push(m.file);
  const info = structuredClone(applyModelLists(extendedObjectInfo(), models));
  const loadVideo = info.LoadVideo?.input.required?.file;
  if (loadVideo?.[1]) loadVideo[1].options = req.inputs.videos;
  const files = new Set([...req.inputs.images, ...req.inputs.videos]);
  return validatePrompt(graph, info, { inputFileExists: (name) => files.has(name.replace(/ \[(input|output|temp)\]$/, '')) });
}
