import { isLink, type ApiGraph, type NodeId } from './graph.js';

/**
 * The nodes of one link cycle in an API graph, in link order (each feeds the next, the last
 * feeds the first), or undefined when the graph has none. ComfyUI 0.3.64 rejects such a graph
 * with an empty `node_errors`, so this is the only way to say which nodes to fix.
 *
 * @example findCycle({ a: { class_type: 'X', inputs: { in: ['b', 0] } }, b: { class_type: 'Y', inputs: { in: ['a', 0] } } }) // ['a', 'b']
 */
export function findCycle(graph: ApiGraph): NodeId[] | undefined {
  const state = new Map<NodeId, 'active' | 'done'>();
  const path: NodeId[] = [];
  const sourcesOf = (id: NodeId): NodeId[] => {
    const inputs = graph[id]?.inputs;
    if (!inputs || typeof inputs !== 'object') return [];
    return Object.values(inputs).filter(isLink).map((link) => link[0]).filter((source) => source in graph);
  };
  // Iterative depth-first walk upstream: graphs with thousands of nodes must not overflow the stack.
  for (const start of Object.keys(graph)) {
    if (state.has(start)) continue;
    const stack: Array<{ id: NodeId; next: NodeId[] }> = [{ id: start, next: sourcesOf(start) }];
    state.set(start, 'active');
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const source = top.next.shift();
      if (source === undefined) {
        state.set(top.id, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const seen = state.get(source);
      if (seen === 'active') return fromFirstNode(graph, path.slice(path.indexOf(source)).reverse());
      if (seen === 'done') continue;
      state.set(source, 'active');
      path.push(source);
      stack.push({ id: source, next: sourcesOf(source) });
    }
  }
  return undefined;
}

/** The same cycle, started at its node that comes first in the graph, so reports are stable. */
function fromFirstNode(graph: ApiGraph, cycle: NodeId[]): NodeId[] {
  const order = Object.keys(graph);
  const first = cycle.reduce((best, id, i) => (order.indexOf(id) < order.indexOf(cycle[best]!) ? i : best), 0);
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}

/** `3 (KSampler) → 8 (VAEDecode) → 3`: a cycle as the error lines show it. */
export function describeCycle(graph: ApiGraph, cycle: NodeId[]): string {
  return [...cycle, cycle[0]!].map((id, i) => (i === cycle.length ? id : `${id} (${graph[id]?.class_type ?? '?'})`)).join(' → ');
}
