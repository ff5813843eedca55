import type { ExecNode, Scope } from './scope.js';

/**
 * litegraph's `computeExecutionOrder(false)`: Kahn's algorithm over the saved nodes in array
 * order; nodes whose inputs never all resolve (loops, dangling link ids) follow, by ascending
 * numeric id as a JS object enumerates them. The frontend emits prompt nodes in this order.
 */
export function executionOrder(scope: Scope): ExecNode[] {
  const pending = new Map<string, number>();
  const remaining: Record<string, ExecNode> = {};
  const queue: ExecNode[] = [];
  const result: ExecNode[] = [];
  for (const node of scope.ordered) {
    remaining[node.localId] = node;
    const linked = node.inputs.filter((input) => input.link != null).length;
    if (linked === 0) queue.push(node);
    else pending.set(node.localId, linked);
  }
  const visitedLinks = new Set<number>();
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    result.push(node);
    delete remaining[node.localId];
    for (const output of node.outputs) {
      for (const linkId of output.links ?? []) {
        const link = scope.links.get(linkId);
        if (!link || visitedLinks.has(link.id)) continue;
        visitedLinks.add(link.id);
        const target = scope.nodes.get(link.targetId);
        if (!target) continue;
        const left = (pending.get(target.localId) ?? 0) - 1;
        pending.set(target.localId, left);
        if (left === 0) queue.push(target);
      }
    }
  }
  for (const key in remaining) result.push(remaining[key] as ExecNode);
  return result;
}
