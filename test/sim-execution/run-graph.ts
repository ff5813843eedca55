import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLink, type ApiGraph } from '../../src/comfy/graph.js';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import type { NodeDef } from '../../src/comfy/object-info/types.js';
import type { NodeExecutionContext, NodeExecutor } from '../../src/sim/execution/node-executor.js';

export interface Dirs {
  output: string;
  temp: string;
  input: string;
}

export function tempDirs(): Dirs {
  const root = mkdtempSync(join(tmpdir(), 'sim-exec-'));
  const dirs = { output: join(root, 'output'), temp: join(root, 'temp'), input: join(root, 'input') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

export interface GraphRun {
  outputs: Record<string, unknown[]>;
  ui: Record<string, Record<string, unknown>>;
  /** Simulated ms per node id. */
  spent: Record<string, number>;
  progress: Record<string, [number, number][]>;
  contexts: Record<string, NodeExecutionContext>;
}

/**
 * A minimal stand-in for the engine: executes every node of `graph` once in dependency order,
 * resolving links to upstream outputs, recording spend and progress instead of waiting.
 */
export async function runGraph(executor: NodeExecutor, graph: ApiGraph, dirs: Dirs, defs: Record<string, NodeDef> = {}): Promise<GraphRun> {
  const objectInfo = { ...defaultObjectInfo(), ...defs };
  const run: GraphRun = { outputs: {}, ui: {}, spent: {}, progress: {}, contexts: {} };
  const visit = async (id: string): Promise<unknown[]> => {
    if (run.outputs[id]) return run.outputs[id]!;
    const node = graph[id]!;
    const inputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node.inputs)) {
      inputs[name] = isLink(value) ? (await visit(value[0]))[value[1]] : value;
    }
    const def = objectInfo[node.class_type];
    if (!def) throw new Error(`no definition for ${node.class_type}`);
    run.spent[id] = 0;
    run.progress[id] = [];
    const ctx: NodeExecutionContext = {
      promptId: 'test-prompt',
      nodeId: id,
      classType: node.class_type,
      def,
      inputs,
      graph,
      dirs,
      progress: (value, max) => void run.progress[id]!.push([value, max]),
      spend: async (ms) => {
        run.spent[id]! += ms;
      },
      throwIfInterrupted: () => undefined,
    };
    run.contexts[id] = ctx;
    const result = await executor.execute(ctx);
    run.outputs[id] = result.outputs;
    if (result.ui) run.ui[id] = result.ui;
    return result.outputs;
  };
  for (const id of Object.keys(graph)) await visit(id);
  return run;
}
