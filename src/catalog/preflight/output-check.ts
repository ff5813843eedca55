import type { ApiGraph } from '../../comfy/graph.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import type { OutputKind, PreflightProblem } from './types.js';

/** Output nodes that write a video (or an animation) to output/. */
export const VIDEO_SAVERS: ReadonlySet<string> = new Set(['SaveVideo', 'SaveWEBM', 'VHS_VideoCombine', 'SaveAnimatedWEBP', 'SaveAnimatedPNG']);
/** Output nodes that deliver still images (saved to output/, or streamed over the socket). */
export const IMAGE_SAVERS: ReadonlySet<string> = new Set(['SaveImage', 'SaveImageWebsocket']);
/** Output nodes whose files go to temp/, which ComfyUI empties on restart. */
export const PREVIEW_NODES: ReadonlySet<string> = new Set(['PreviewImage', 'PreviewAny', 'PreviewAudio', 'PreviewVideo']);

export type OutputNodeKind = 'video' | 'image' | 'preview' | 'other';

export function outputNodeKind(classType: string): OutputNodeKind {
  if (VIDEO_SAVERS.has(classType)) return 'video';
  if (IMAGE_SAVERS.has(classType)) return 'image';
  if (PREVIEW_NODES.has(classType)) return 'preview';
  return 'other';
}

/** The graph's output nodes (object_info `output_node`), with what each produces. */
export function outputNodesOf(graph: ApiGraph, objectInfo: ObjectInfo): { nodeId: string; classType: string; kind: OutputNodeKind }[] {
  return Object.entries(graph)
    .filter(([, node]) => objectInfo[node.class_type]?.output_node === true || outputNodeKind(node.class_type) !== 'other')
    .map(([nodeId, node]) => ({ nodeId, classType: node.class_type, kind: outputNodeKind(node.class_type) }));
}

const list = (nodes: { nodeId: string; classType: string }[]): string => nodes.map((n) => `${n.classType} (node ${n.nodeId})`).join(', ');

/**
 * Whether the graph ends in an output of the expected kind: a video template must save a video,
 * an image template an image; a graph that only previews (temp/) is flagged either way.
 */
export function checkOutputKind(graph: ApiGraph, objectInfo: ObjectInfo, expected: OutputKind): PreflightProblem[] {
  const outputs = outputNodesOf(graph, objectInfo);
  const want = expected === 'video' ? 'video' : 'image';
  if (outputs.some((o) => o.kind === want)) return [];
  const saver = want === 'video' ? 'CreateVideo → SaveVideo (or VHS_VideoCombine)' : 'SaveImage';
  if (outputs.length === 0) {
    return [{ kind: 'output_kind', message: `the graph has no output node; ${want === 'video' ? 'a video' : 'an image'} output is expected`, fix: `end the graph in ${saver}` }];
  }
  const previews = outputs.filter((o) => o.kind === 'preview');
  const first = outputs[0]!;
  if (previews.length === outputs.length) {
    return [{
      kind: 'output_kind',
      nodeId: first.nodeId,
      classType: first.classType,
      message: `the graph only previews: ${list(previews)} writes to temp/, which ComfyUI empties on restart; a saved ${want} output is expected`,
      fix: `replace ${first.classType} with ${saver}`,
    }];
  }
  const other = outputs.filter((o) => o.kind !== 'preview');
  const what = other.some((o) => o.kind === 'video') ? 'a video' : other.some((o) => o.kind === 'image') ? 'images' : 'no image or video';
  return [{
    kind: 'output_kind',
    nodeId: other[0]!.nodeId,
    classType: other[0]!.classType,
    message: `the graph saves ${what} (${list(other)}) but ${want === 'video' ? 'a video' : expected === 'images' ? 'images' : 'an image'} is expected`,
    fix: want === 'video' ? `feed the frames into ${saver}` : `save the frames with ${saver}, or use a template whose output is a video`,
  }];
}
