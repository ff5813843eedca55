import type { ApiGraph } from '../../comfy/graph.js';
import { isLink } from '../../comfy/graph.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';

/**
 * ComfyUI's `ExecutionList` order: nodes are added depth-first from each output (inputs in
 * declaration order, popped LIFO), cached nodes are never scheduled, and among ready nodes
 * the pick prefers output nodes, then their direct feeders, then feeders of feeders
 * (`ux_friendly_pick_node`). Reproducing it gives the same `executing` order as real ComfyUI.
 */
export class ExecutionList {
  private readonly pending = new Map<string, true>();
  private readonly blockCount = new Map<string, number>();
  private readonly blocking = new Map<string, Set<string>>();

  constructor(
    private readonly prompt: ApiGraph,
    private readonly objectInfo: ObjectInfo,
    private readonly isCached: (nodeId: string) => boolean,
  ) {}

  addNode(nodeId: string): void {
    const stack = [nodeId];
    const links: Array<[string, string]> = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.pending.has(id)) continue;
      this.pending.set(id, true);
      this.blockCount.set(id, 0);
      this.blocking.set(id, new Set());
      const inputs = this.prompt[id]?.inputs ?? {};
      for (const name of Object.keys(inputs)) {
        const value = inputs[name];
        if (!isLink(value)) continue;
        const from = value[0];
        if (!this.prompt[from]) continue;
        if (!this.isCached(from)) stack.push(from);
        links.push([from, id]);
      }
    }
    for (const [from, to] of links) {
      if (this.isCached(from)) continue;
      this.addNode(from);
      const blocked = this.blocking.get(from) as Set<string>;
      if (!blocked.has(to)) {
        blocked.add(to);
        this.blockCount.set(to, (this.blockCount.get(to) ?? 0) + 1);
      }
    }
  }

  isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /** The next node to run, or undefined when what is left is blocked (a cycle). */
  next(): string | undefined {
    const ready = [...this.pending.keys()].filter((id) => this.blockCount.get(id) === 0);
    if (ready.length === 0) return undefined;
    const isOutput = (id: string): boolean => this.objectInfo[this.prompt[id]?.class_type ?? '']?.output_node === true;
    const feeds = (id: string): Set<string> => this.blocking.get(id) ?? new Set();
    for (const id of ready) if (isOutput(id)) return id;
    for (const id of ready) for (const b of feeds(id)) if (isOutput(b)) return id;
    for (const id of ready) for (const b of feeds(id)) for (const c of feeds(b)) if (isOutput(c)) return id;
    return ready[0];
  }

  complete(nodeId: string): void {
    this.pending.delete(nodeId);
    for (const blocked of this.blocking.get(nodeId) ?? []) {
      this.blockCount.set(blocked, (this.blockCount.get(blocked) ?? 1) - 1);
    }
    this.blocking.delete(nodeId);
  }

  /** Nodes still pending (for the dependency-cycle error). */
  remaining(): string[] {
    return [...this.pending.keys()];
  }
}
