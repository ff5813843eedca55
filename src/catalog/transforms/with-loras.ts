import type { ApiGraph, Link } from '../../comfy/graph.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { consumersOf, nodesOfClass } from '../graph/graph-query.js';
import type { AnySocketLink } from '../graph/socket-link.js';
import type { TemplateFamily } from '../templates/template.js';
import { IncompatibleTransformError } from './errors/incompatible-transform-error.js';
import { requireFamily } from './family.js';

export interface LoraSpec {
  file: string;
  strength_model?: number;
  /** Ignored for DiT families (their LoRAs are model-only). */
  strength_clip?: number;
}

/** Checkpoint families get LoraLoader (MODEL + CLIP); DiT families get LoraLoaderModelOnly after each UNETLoader. */
export const LORA_FAMILIES: readonly TemplateFamily[] = ['sd15', 'sdxl', 'sdxl-turbo', 'wan21-14b', 'wan22-14b', 'wan22-5b', 'hunyuan15', 'qwen-image', 'newbie'];

/**
 * Chains LoRAs after the model loader and rewires every consumer of its MODEL (and CLIP) outputs
 * to the last LoRA (reference §8.3). The VAE still comes from the checkpoint.
 *
 * @example withLoras(sd15T2i.build(), [{ file: 'epiNoiseoffset_v2.safetensors', strength_model: 0.8, strength_clip: 0.8 }])
 */
export function withLoras(graph: ApiGraph, loras: readonly LoraSpec[], options: { family?: TemplateFamily } = {}): ApiGraph {
  requireFamily('withLoras', LORA_FAMILIES, graph, options.family);
  const g = new GraphBuilder(graph);
  const checkpoints = nodesOfClass(graph, 'CheckpointLoaderSimple');
  const unets = nodesOfClass(graph, 'UNETLoader');
  if (checkpoints.length) {
    // The first checkpoint is the base model; an SDXL refiner does not take base LoRAs.
    chainWithClip(g, checkpoints[0]!, loras);
  } else if (unets.length) {
    for (const id of unets) chainModelOnly(g, id, loras);
  } else {
    throw new IncompatibleTransformError('withLoras', 'this', LORA_FAMILIES, 'no CheckpointLoaderSimple or UNETLoader to attach to');
  }
  return g.build();
}

function rewire(g: GraphBuilder, from: Link, to: AnySocketLink, skip: Set<string>): void {
  for (const c of consumersOf(g.view(), from)) if (!skip.has(c.nodeId)) g.setInput(c.nodeId, c.input, to);
}

function chainWithClip(g: GraphBuilder, loaderId: string, loras: readonly LoraSpec[]): void {
  const modelOut: Link = [loaderId, 0];
  const clipOut: Link = [loaderId, 1];
  const added = new Set<string>();
  let model: AnySocketLink = modelOut;
  let clip: AnySocketLink = clipOut;
  for (const lora of loras) {
    const node = g.node(
      'LoraLoader',
      { model, clip, lora_name: lora.file, strength_model: lora.strength_model ?? 1, strength_clip: lora.strength_clip ?? 1 },
      { title: `LoRA ${lora.file}` },
    );
    added.add(node.id);
    model = node.out('MODEL');
    clip = node.out('CLIP');
  }
  rewire(g, modelOut, model, added);
  rewire(g, clipOut, clip, added);
}

function chainModelOnly(g: GraphBuilder, loaderId: string, loras: readonly LoraSpec[]): void {
  const modelOut: Link = [loaderId, 0];
  const added = new Set<string>();
  let model: AnySocketLink = modelOut;
  for (const lora of loras) {
    const node = g.node('LoraLoaderModelOnly', { model, lora_name: lora.file, strength_model: lora.strength_model ?? 1 }, { title: `LoRA ${lora.file}` });
    added.add(node.id);
    model = node.out(0);
  }
  rewire(g, modelOut, model, added);
}
