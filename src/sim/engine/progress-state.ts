import { PyFloat } from '../server/py-json.js';

type NodeState = 'pending' | 'running' | 'finished';

interface Entry {
  state: NodeState;
  value: number | PyFloat;
  max: number | PyFloat;
}

/**
 * ComfyUI's `ProgressRegistry` for one job: an entry per prompt node (prompt order), pending
 * ones left out of snapshots. Starting a node writes floats (0.0/1.0), progress ticks write
 * the ints they are given, and finishing copies max into value: hence `1` for cached output
 * nodes but `1.0` for executed ones, as the real server shows.
 */
export class ProgressState {
  private readonly nodes = new Map<string, Entry>();

  constructor(
    private readonly promptId: string,
    nodeIds: string[],
  ) {
    for (const id of nodeIds) this.nodes.set(id, { state: 'pending', value: 0, max: 1 });
  }

  start(nodeId: string): void {
    this.nodes.set(nodeId, { state: 'running', value: new PyFloat(0), max: new PyFloat(1) });
  }

  update(nodeId: string, value: number, max: number): void {
    const entry = this.entry(nodeId);
    entry.state = 'running';
    entry.value = value;
    entry.max = max;
  }

  finish(nodeId: string): void {
    const entry = this.entry(nodeId);
    entry.state = 'finished';
    entry.value = entry.max;
  }

  snapshot(): { prompt_id: string; nodes: Record<string, unknown> } {
    const nodes: Record<string, unknown> = {};
    for (const [id, entry] of this.nodes) {
      if (entry.state === 'pending') continue;
      nodes[id] = {
        value: entry.value,
        max: entry.max,
        state: entry.state,
        node_id: id,
        prompt_id: this.promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
      };
    }
    return { prompt_id: this.promptId, nodes };
  }

  private entry(nodeId: string): Entry {
    let entry = this.nodes.get(nodeId);
    if (!entry) {
      entry = { state: 'pending', value: 0, max: 1 };
      this.nodes.set(nodeId, entry);
    }
    return entry;
  }
}
