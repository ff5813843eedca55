import type { ApiGraph } from '../../comfy/graph.js';
import { templateById } from '../../catalog/templates/index.js';
import type { StoryTask } from './story-task.js';

/** An input file of a task once its content is known. */
export interface InputAsset {
  sha256: string;
  /** Extension with the dot (`.png`, `.mp4`), kept so the worker's loaders recognise the file. */
  ext: string;
}

/** A task with its inputs fixed: what is hashed, built and submitted. */
export interface BoundTask {
  task: StoryTask;
  /** Template parameters with input-file parameters set to the uploaded names. */
  params: Record<string, unknown>;
  /** role → sha256 of the input asset. */
  inputHashes: Record<string, string>;
  graph: ApiGraph;
}

/**
 * The name an input file has in the worker's input folder: `storycore/<sha256><ext>`, the
 * dispatcher's upload convention. Named by content, so a task's parameters depend only on
 * what its inputs contain, and an upload is the same on every worker and run.
 */
export function uploadName(asset: InputAsset): string {
  return `storycore/${asset.sha256}${asset.ext.toLowerCase()}`;
}

/** Fixes a task's inputs: each input parameter names the uploaded file; builds the graph. */
export function bindTask(task: StoryTask, inputs: Record<string, InputAsset>): BoundTask {
  const params: Record<string, unknown> = { ...task.params };
  const inputHashes: Record<string, string> = {};
  for (const input of task.inputs) {
    const asset = inputs[input.role];
    if (!asset) throw new Error(`${task.label}: input '${input.role}' is not bound`);
    params[input.param] = uploadName(asset);
    inputHashes[input.role] = asset.sha256;
  }
  const graph = templateById(task.templateId).build(params);
  return { task, params, inputHashes, graph };
}

/**
 * A graph for checks made before inputs exist (licences, preflight): inputs get placeholder
 * names, which change no node class or model file.
 */
export function placeholderGraph(task: StoryTask): ApiGraph {
  const placeholder = '0'.repeat(64);
  const inputs = Object.fromEntries(task.inputs.map((i) => [i.role, { sha256: placeholder, ext: i.kind === 'video' ? '.mp4' : '.png' }]));
  return bindTask(task, inputs).graph;
}
