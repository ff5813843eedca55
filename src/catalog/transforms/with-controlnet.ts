import type { ApiGraph, Link } from '../../comfy/graph.js';
import { isLink } from '../../comfy/graph.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { consumersOf, nodesOfClass } from '../graph/graph-query.js';
import type { AnySocketLink, SocketLink } from '../graph/socket-link.js';
import type { TemplateFamily } from '../templates/template.js';
import { IncompatibleTransformError } from './errors/incompatible-transform-error.js';
import { requireFamily } from './family.js';

export type ControlType = 'openpose' | 'depth' | 'lineart';

export interface ControlNetSpec {
  type: ControlType;
  /** Control image in the worker's input/ folder (a photo when `preprocess`, else a ready map). */
  image: string;
  strength?: number;
  start?: number;
  end?: number;
  /** Run the comfyui_controlnet_aux preprocessor on the image first (default true). */
  preprocess?: boolean;
  /** Override the ControlNet model file. */
  model?: string;
  /** Preprocessor resolution (multiple of 64). */
  resolution?: number;
}

export const CONTROLNET_FAMILIES: readonly TemplateFamily[] = ['sd15', 'sdxl'];

/** ControlNet files per family and type (the catalogue's entries). */
export const CONTROLNET_FILES: Record<'sd15' | 'sdxl', Record<ControlType, string>> = {
  sd15: {
    openpose: 'control_v11p_sd15_openpose_fp16.safetensors',
    depth: 'control_v11f1p_sd15_depth_fp16.safetensors',
    lineart: 'control_v11p_sd15_lineart_fp16.safetensors',
  },
  sdxl: {
    openpose: 'controlnet-openpose-sdxl-1.0.safetensors',
    depth: 'controlnet-depth-sdxl-1.0.safetensors',
    lineart: 'mistoLine_fp16.safetensors',
  },
};

const SAMPLERS = ['KSampler', 'KSamplerAdvanced'];

/**
 * Adds LoadImage → preprocessor → ControlNetApplyAdvanced on the sampler's conditioning
 * (reference §8.4): every consumer of the original positive/negative now reads the Apply node's
 * outputs, so several ControlNets chain by applying this twice.
 */
export function withControlNet(graph: ApiGraph, spec: ControlNetSpec, options: { family?: TemplateFamily } = {}): ApiGraph {
  const family = requireFamily('withControlNet', CONTROLNET_FAMILIES, graph, options.family) as 'sd15' | 'sdxl';
  const samplerId = nodesOfClass(graph, ...SAMPLERS)[0];
  const sampler = samplerId === undefined ? undefined : graph[samplerId];
  const positive = sampler?.inputs.positive;
  const negative = sampler?.inputs.negative;
  if (!isLink(positive) || !isLink(negative)) {
    throw new IncompatibleTransformError('withControlNet', family, CONTROLNET_FAMILIES, 'no KSampler with linked positive/negative conditioning');
  }
  const g = new GraphBuilder(graph);
  const checkpoint = nodesOfClass(graph, 'CheckpointLoaderSimple')[0];
  const image = g.node('LoadImage', { image: spec.image }, { title: `ControlNet ${spec.type} image` });
  const hint = spec.preprocess === false ? image.out('IMAGE') : preprocess(g, spec, image.out('IMAGE'));
  const loader = g.node('ControlNetLoader', { control_net_name: spec.model ?? CONTROLNET_FILES[family][spec.type] }, { title: `ControlNet ${spec.type}` });
  const apply = g.node(
    'ControlNetApplyAdvanced',
    {
      positive: positive as AnySocketLink,
      negative: negative as AnySocketLink,
      control_net: loader.out(0),
      image: hint,
      strength: spec.strength ?? 1,
      start_percent: spec.start ?? 0,
      end_percent: spec.end ?? 1,
      vae: checkpoint === undefined ? undefined : ([checkpoint, 2] as AnySocketLink),
    },
    { title: `Apply ControlNet (${spec.type})` },
  );
  const skip = new Set([apply.id]);
  rewire(g, positive, apply.out('positive'), skip);
  rewire(g, negative, apply.out('negative'), skip);
  return g.build();
}

function preprocess(g: GraphBuilder, spec: ControlNetSpec, image: SocketLink<'IMAGE'>): SocketLink<'IMAGE'> {
  const resolution = spec.resolution ?? 512;
  switch (spec.type) {
    case 'openpose':
      return g.node('OpenposePreprocessor', { image, detect_hand: 'enable', detect_body: 'enable', detect_face: 'enable', resolution, scale_stick_for_xinsr_cn: 'disable' }, { title: 'OpenPose Preprocessor' }).out(0);
    case 'depth':
      return g.node('DepthAnythingV2Preprocessor', { image, ckpt_name: 'depth_anything_v2_vitl.pth', resolution }, { title: 'Depth Anything V2' }).out(0);
    case 'lineart':
      return g.node('LineArtPreprocessor', { image, coarse: 'disable', resolution }, { title: 'LineArt Preprocessor' }).out(0);
  }
}

function rewire(g: GraphBuilder, from: Link, to: AnySocketLink, skip: Set<string>): void {
  for (const c of consumersOf(g.view(), from)) if (!skip.has(c.nodeId)) g.setInput(c.nodeId, c.input, to);
}
