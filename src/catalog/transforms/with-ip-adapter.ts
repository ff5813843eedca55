import type { ApiGraph } from '../../comfy/graph.js';
import { isLink } from '../../comfy/graph.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { consumersOf, nodesOfClass } from '../graph/graph-query.js';
import type { AnySocketLink } from '../graph/socket-link.js';
import type { NodeInputs } from '../nodes/generated.js';
import type { TemplateFamily } from '../templates/template.js';
import { IncompatibleTransformError } from './errors/incompatible-transform-error.js';
import { requireFamily } from './family.js';

export type IpAdapterPreset = NodeInputs['IPAdapterUnifiedLoader']['preset'];
export type IpAdapterWeightType = NodeInputs['IPAdapterAdvanced']['weight_type'];

export interface IpAdapterSpec {
  /** Reference image in the worker's input/ folder. */
  image: string;
  weight?: number;
  preset?: IpAdapterPreset;
  weightType?: IpAdapterWeightType;
  start?: number;
  end?: number;
}

export const IP_ADAPTER_FAMILIES: readonly TemplateFamily[] = ['sd15', 'sdxl'];

/**
 * Inserts IPAdapterUnifiedLoader + IPAdapterAdvanced (cubiq/ComfyUI_IPAdapter_plus, reference
 * §8.5) on the MODEL the sampler reads, so it composes after `withLoras`.
 */
export function withIpAdapter(graph: ApiGraph, spec: IpAdapterSpec, options: { family?: TemplateFamily } = {}): ApiGraph {
  const family = requireFamily('withIpAdapter', IP_ADAPTER_FAMILIES, graph, options.family);
  const preset = spec.preset ?? 'PLUS (high strength)';
  if (family === 'sdxl' && preset.includes('SD1.5 only')) {
    throw new IncompatibleTransformError('withIpAdapter', family, IP_ADAPTER_FAMILIES, `preset "${preset}" is SD1.5 only`);
  }
  const samplerId = nodesOfClass(graph, 'KSampler', 'KSamplerAdvanced')[0];
  const model = samplerId === undefined ? undefined : graph[samplerId]!.inputs.model;
  if (!isLink(model)) throw new IncompatibleTransformError('withIpAdapter', family, IP_ADAPTER_FAMILIES, 'no KSampler with a linked model');
  const g = new GraphBuilder(graph);
  const loader = g.node('IPAdapterUnifiedLoader', { model: model as AnySocketLink, preset }, { title: 'IPAdapter Unified Loader' });
  const image = g.node('LoadImage', { image: spec.image }, { title: 'IP-Adapter reference' });
  const apply = g.node(
    'IPAdapterAdvanced',
    {
      model: loader.out(0),
      ipadapter: loader.out(1),
      image: image.out('IMAGE'),
      weight: spec.weight ?? 1,
      weight_type: spec.weightType ?? 'linear',
      combine_embeds: 'concat',
      start_at: spec.start ?? 0,
      end_at: spec.end ?? 1,
      embeds_scaling: 'V only',
    },
    { title: 'IPAdapter Advanced' },
  );
  for (const c of consumersOf(g.view(), model)) if (c.nodeId !== loader.id) g.setInput(c.nodeId, c.input, apply.out(0));
  return g.build();
}
