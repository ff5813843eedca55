import { isHttp, type TranscriptEvent } from './transcript.js';

/**
 * ComfyUI runs a prompt's independent nodes in the order of a Python set, so which of two
 * output nodes runs first changes with PYTHONHASHSEED (kit README). A live run may execute
 * nodes in any order the graph's dependencies allow — and in no other. This module finds each
 * prompt's node order on a socket, checks it against the graph, and when it is allowed but
 * differs from the recording, rearranges the live messages into the recorded order so the
 * rest of the comparison stays message by message.
 */

/** One socket message as the comparer sees it: its kind and its (typed) body. */
export interface SocketItem {
  kind: string;
  body: unknown;
}

/** node id → ids of the nodes it takes inputs from (direct links only). */
export type NodeInputs = Map<string, string[]>;

export interface OrderViolation {
  promptId: string;
  order: string[];
  /** The node that ran before one of its inputs. */
  node: string;
  input: string;
}

interface Block {
  node: string;
  /** Indexes into the socket's item list, in order. */
  items: number[];
}

interface Segment {
  promptId: string;
  /** Contiguous runs of node-scoped messages, one block per node. */
  blocks: Block[];
  /** Index of the first and after-the-last item of the block run. */
  start: number;
  end: number;
}

const NODE_KINDS = new Set(['executing', 'executed', 'progress', 'progress_state']);

function dataOf(item: SocketItem): Record<string, unknown> | undefined {
  const body = item.body as { data?: unknown } | null;
  return body && typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : undefined;
}

function promptOf(item: SocketItem): string | undefined {
  const p = dataOf(item)?.prompt_id;
  return typeof p === 'string' ? p : undefined;
}

/** The graph of every prompt posted in a transcript, by prompt id (as the server answered it). */
export function promptGraphs(events: TranscriptEvent[]): Map<string, NodeInputs> {
  const out = new Map<string, NodeInputs>();
  for (const e of events) {
    if (!isHttp(e) || e.request.method !== 'POST' || !/^(\/api)?\/prompt$/.test(e.request.path)) continue;
    const promptId = (e.response.json as { prompt_id?: unknown } | undefined)?.prompt_id;
    const prompt = (e.request.json as { prompt?: unknown } | undefined)?.prompt;
    if (typeof promptId !== 'string' || !prompt || typeof prompt !== 'object') continue;
    out.set(promptId, graphInputs(prompt as Record<string, unknown>));
  }
  return out;
}

/** Direct input links of an API-format graph: `[nodeId, outputIndex]` values. */
export function graphInputs(prompt: Record<string, unknown>): NodeInputs {
  const inputs: NodeInputs = new Map();
  for (const [id, node] of Object.entries(prompt)) {
    const values = Object.values((node as { inputs?: Record<string, unknown> } | null)?.inputs ?? {});
    const from = values.filter((v): v is [string, number] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number').map((v) => v[0]);
    inputs.set(id, [...new Set(from)]);
  }
  return inputs;
}

/** Every node a node depends on, directly or through others. */
function ancestors(graph: NodeInputs, node: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(node) ?? [])];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(graph.get(n) ?? []));
  }
  return seen;
}

/** The first node in `order` that runs before one of its (transitive) inputs, if any. */
export function orderViolation(graph: NodeInputs, order: string[]): { node: string; input: string } | undefined {
  for (let i = 0; i < order.length; i++) {
    const node = order[i] as string;
    const deps = ancestors(graph, node);
    const later = order.slice(i + 1).find((n) => deps.has(n));
    if (later !== undefined) return { node, input: later };
  }
  return undefined;
}

/** Which node a progress_state is about: the one whose entry is new or changed since the last one. */
function changedNode(nodes: Record<string, unknown>, previous: Record<string, unknown>): string | undefined {
  let changed: string | undefined;
  for (const [id, entry] of Object.entries(nodes)) {
    if (JSON.stringify(entry) !== JSON.stringify(previous[id])) changed = id;
  }
  return changed;
}

/** Splits a socket's messages into per-prompt runs of per-node blocks. */
function segments(items: SocketItem[]): Segment[] {
  const out: Segment[] = [];
  let current: Segment | undefined;
  let states: Record<string, unknown> = {};
  let statesPrompt: string | undefined;
  items.forEach((item, index) => {
    const data = dataOf(item);
    const promptId = promptOf(item);
    const isBinary = item.kind.startsWith('binary');
    let node: string | undefined;
    if (isBinary) node = current?.blocks.at(-1)?.node;
    else if (item.kind === 'progress_state' && promptId !== undefined) {
      if (statesPrompt !== promptId) [states, statesPrompt] = [{}, promptId];
      const nodes = (data?.nodes ?? {}) as Record<string, unknown>;
      node = changedNode(nodes, states) ?? (current?.promptId === promptId ? current.blocks.at(-1)?.node : undefined);
      states = nodes;
    } else if (NODE_KINDS.has(item.kind) && promptId !== undefined && typeof data?.node === 'string') node = data.node;
    // Anything not about one node (execution_start, execution_cached, the end of a prompt) closes the run.
    if (current && (node === undefined || (!isBinary && current.promptId !== promptId))) {
      out.push(current);
      current = undefined;
    }
    if (node === undefined) return;
    current ??= { promptId: promptId as string, blocks: [], start: index, end: index };
    const last = current.blocks.at(-1);
    if (last?.node === node) last.items.push(index);
    else current.blocks.push({ node, items: [index] });
    current.end = index + 1;
  });
  if (current) out.push(current);
  return out;
}

function order(segment: Segment): string[] {
  return segment.blocks.map((b) => b.node);
}

/**
 * Puts the live messages of each prompt into the recorded node order when the live order is
 * one the graph allows; reports the live orders the graph does not allow (and leaves them as
 * they are, so the message-by-message comparison shows them too). `progress_state` carries
 * every node seen so far, so its node map is rebuilt for the new order from the live entries.
 */
export function alignNodeOrder(
  recorded: SocketItem[],
  live: SocketItem[],
  graphs: Map<string, NodeInputs>,
): { items: SocketItem[]; violations: OrderViolation[] } {
  const violations: OrderViolation[] = [];
  const recordedOrders = new Map<string, string[][]>();
  for (const s of segments(recorded)) recordedOrders.set(s.promptId, [...(recordedOrders.get(s.promptId) ?? []), order(s)]);
  const seenPerPrompt = new Map<string, number>();
  const result = [...live];
  for (const segment of segments(live)) {
    const nth = seenPerPrompt.get(segment.promptId) ?? 0;
    seenPerPrompt.set(segment.promptId, nth + 1);
    const liveOrder = order(segment);
    const graph = graphs.get(segment.promptId);
    if (!graph) continue;
    const broken = orderViolation(graph, liveOrder);
    if (broken) {
      violations.push({ promptId: segment.promptId, order: liveOrder, ...broken });
      continue;
    }
    const target = recordedOrders.get(segment.promptId)?.[nth];
    const sameNodes = target !== undefined && target.length === liveOrder.length && new Set(liveOrder).size === liveOrder.length
      && [...target].sort().join('\u0000') === [...liveOrder].sort().join('\u0000');
    if (!target || !sameNodes || target.join('\u0000') === liveOrder.join('\u0000')) continue;
    const byNode = new Map(segment.blocks.map((b) => [b.node, b]));
    const finalStates = finalProgressStates(live, segment);
    const rearranged: SocketItem[] = [];
    target.forEach((node, position) => {
      const before = new Set(target.slice(0, position));
      for (const index of byNode.get(node)?.items ?? []) rearranged.push(rewriteProgressState(live[index] as SocketItem, node, before, new Set(target), finalStates));
    });
    result.splice(segment.start, segment.end - segment.start, ...rearranged);
  }
  return { items: result, violations };
}

/** Each node's last progress_state entry within a run of blocks. */
function finalProgressStates(items: SocketItem[], segment: Segment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = segment.start; i < segment.end; i++) {
    const item = items[i] as SocketItem;
    if (item.kind !== 'progress_state') continue;
    Object.assign(out, (dataOf(item)?.nodes ?? {}) as Record<string, unknown>);
  }
  return out;
}

/** A progress_state of `node` as it would read had the nodes in `before` (and no other block node) run first. */
function rewriteProgressState(item: SocketItem, node: string, before: Set<string>, blockNodes: Set<string>, finalStates: Record<string, unknown>): SocketItem {
  if (item.kind !== 'progress_state') return item;
  const data = dataOf(item) as Record<string, unknown>;
  const nodes = (data.nodes ?? {}) as Record<string, unknown>;
  const rebuilt: Record<string, unknown> = {};
  for (const [id, entry] of Object.entries(nodes)) if (!blockNodes.has(id)) rebuilt[id] = entry;
  for (const id of before) rebuilt[id] = nodes[id] ?? finalStates[id];
  rebuilt[node] = nodes[node];
  return { kind: item.kind, body: { ...(item.body as object), data: { ...data, nodes: rebuilt } } };
}
