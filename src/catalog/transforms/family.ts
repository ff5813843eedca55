import type { ApiGraph } from '../../comfy/graph.js';
import { nodesOfClass } from '../graph/graph-query.js';
import type { TemplateFamily } from '../templates/template.js';
import { IncompatibleTransformError } from './errors/incompatible-transform-error.js';

/** The family a graph belongs to, read from its loaders (used when the caller does not say). */
export function familyOf(graph: Readonly<ApiGraph>): TemplateFamily | 'unknown' {
  const checkpoints = nodesOfClass(graph, 'CheckpointLoaderSimple').map((id) => String(graph[id]!.inputs.ckpt_name).toLowerCase());
  if (checkpoints.some((c) => c.includes('turbo'))) return 'sdxl-turbo';
  if (checkpoints.some((c) => c.includes('xl'))) return 'sdxl';
  if (checkpoints.length) return 'sd15';
  const unets = nodesOfClass(graph, 'UNETLoader').map((id) => String(graph[id]!.inputs.unet_name).toLowerCase());
  if (unets.some((u) => u.startsWith('wan2.2') && u.includes('14b'))) return 'wan22-14b';
  if (unets.some((u) => u.startsWith('wan2.2'))) return 'wan22-5b';
  if (unets.some((u) => u.startsWith('wan2.1'))) return 'wan21-14b';
  if (unets.some((u) => u.startsWith('hunyuanvideo1.5'))) return 'hunyuan15';
  if (unets.some((u) => u.startsWith('qwen_image'))) return 'qwen-image';
  if (unets.some((u) => u.startsWith('newbie'))) return 'newbie';
  return 'unknown';
}

/** Throws `IncompatibleTransformError` unless the graph's family is one the transform supports. */
export function requireFamily(transform: string, supported: readonly TemplateFamily[], graph: Readonly<ApiGraph>, family?: TemplateFamily): TemplateFamily {
  const actual = family ?? familyOf(graph);
  if (actual === 'unknown' || !supported.includes(actual)) throw new IncompatibleTransformError(transform, actual, supported);
  return actual;
}
