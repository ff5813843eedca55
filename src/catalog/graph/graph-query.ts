import { isLink, type ApiGraph, type Link, type NodeId } from '../../comfy/graph.js';
import { outputTableOf } from './graph-builder.js';

/** One input that reads a given output: `graph[nodeId].inputs[input]`. */
export interface Consumer {
  nodeId: NodeId;
  input: string;
}

/** Ids of the nodes whose class is one of `classTypes`, in graph order. */
export function nodesOfClass(graph: Readonly<ApiGraph>, ...classTypes: string[]): NodeId[] {
  return Object.keys(graph).filter((id) => classTypes.includes(graph[id]!.class_type));
}

/** Every input that is linked to `source`. */
export function consumersOf(graph: Readonly<ApiGraph>, source: Link): Consumer[] {
  const found: Consumer[] = [];
  for (const [nodeId, node] of Object.entries(graph)) {
    for (const [input, value] of Object.entries(node.inputs)) {
      if (isLink(value) && value[0] === source[0] && value[1] === source[1]) found.push({ nodeId, input });
    }
  }
  return found;
}

/** The socket type of an output (`'MODEL'`), from the generated node table; undefined if unknown. */
export function outputTypeOf(graph: Readonly<ApiGraph>, link: Link): string | undefined {
  const node = graph[link[0]];
  return node ? outputTableOf(node.class_type)?.types[link[1]] : undefined;
}

/** Every output of the graph's nodes whose socket type is `type`, as links. */
export function outputsOfType(graph: Readonly<ApiGraph>, type: string): Link[] {
  const links: Link[] = [];
  for (const [id, node] of Object.entries(graph)) {
    outputTableOf(node.class_type)?.types.forEach((t, index) => {
      if (t === type) links.push([id, index]);
    });
  }
  return links;
}

/** Follows the links upstream from `start`: true when `target` is reached. */
export function dependsOn(graph: Readonly<ApiGraph>, start: NodeId, target: NodeId): boolean {
  const seen = new Set<NodeId>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const value of Object.values(graph[id]?.inputs ?? {})) if (isLink(value)) stack.push(value[0]);
  }
  return false;
}
