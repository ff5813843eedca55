import { MissingLinkOriginError } from './errors/missing-link-origin-error.js';
import { WorkflowLinkCycleError } from './errors/workflow-link-cycle-error.js';
import { SUBGRAPH_INPUT_NODE_ID } from './frontend-nodes.js';
import { MODE_BYPASS, type ExecNode, type Scope } from './scope.js';

/**
 * Link resolution, following the editor's `ExecutableNodeDTO.resolveInput/resolveOutput`: a link
 * is followed back through reroutes, bypassed nodes and subgraph/group boundaries until it
 * reaches a real node output, or a value (a primitive node, or a promoted subgraph widget).
 */
export type Resolved =
  | { kind: 'link'; node: ExecNode; slot: number }
  | { kind: 'value'; value: unknown; fromPrimitive: boolean };

type SlotType = unknown;

export interface ResolveContext {
  warnings: string[];
  /** Leave an input linked from a node that does not exist unconnected (with a warning) instead of failing. */
  lenient?: boolean;
}

/** litegraph's `isValidConnection`: equal, a wildcard on either side, or overlapping comma lists. */
export function isValidConnection(a: SlotType, b: SlotType): boolean {
  const norm = (t: SlotType): string | 0 => (t === '' || t === '*' || t === undefined || t === null || t === 0 ? 0 : String(t));
  const x = norm(a);
  const y = norm(b);
  if (x === 0 || y === 0 || x === y) return true;
  const lx = x.toLowerCase();
  const ly = y.toLowerCase();
  if (!lx.includes(',') && !ly.includes(',')) return lx === ly;
  const xs = lx.split(',');
  const ys = ly.split(',');
  return xs.some((p) => ys.some((q) => isValidConnection(p, q)));
}

/** Which input a bypassed node passes to its output `slot` for a consumer of `type`; -1 if none. */
export function bypassSlotIndex(node: ExecNode, slot: number, type: SlotType): number {
  const { inputs } = node;
  if (node.kind === 'group') {
    // Group nodes keep the older rule: exact type, the same slot first.
    const candidates = [slot, ...inputs.keys()];
    return candidates.find((i) => inputs[i] !== undefined && inputs[i]?.type === type) ?? -1;
  }
  if (type === '*' || type === '') return inputs.length > slot ? slot : 0;
  const opposite = inputs[slot];
  const outputType = node.outputs[slot]?.type;
  if (opposite && isValidConnection(opposite.type, outputType) && isValidConnection(opposite.type, type)) return slot;
  const exact = inputs.findIndex((input) => input.type === type);
  if (exact !== -1) return exact;
  return inputs.findIndex((input) => isValidConnection(input.type, outputType) && isValidConnection(input.type, type));
}

function primitiveValue(node: ExecNode): unknown {
  if (node.widgetOverrides?.has('value')) return node.widgetOverrides.get('value');
  const saved = node.widgetsValues;
  if (Array.isArray(saved)) return saved[0];
  return saved?.value;
}

function guard(visited: Set<string>, key: string, node: ExecNode): void {
  if (visited.has(key)) throw new WorkflowLinkCycleError(node.execId, node.type);
  visited.add(key);
}

/**
 * One hop of a link's resolution: the answer, or where to look next. Every hop is a tail call,
 * so the chain runs as a loop: a workflow with 3000 reroutes in a row resolves without
 * overflowing the stack.
 */
type Hop =
  | { done: true; result: Resolved | undefined }
  | { done: false; at: 'input'; node: ExecNode; index: number; type?: SlotType }
  | { done: false; at: 'output'; node: ExecNode; slot: number; type: SlotType }
  | { done: false; at: 'boundary'; scope: Scope; slot: number };

const finished = (result: Resolved | undefined): Hop => ({ done: true, result });

function follow(first: Hop, visited: Set<string>, ctx: ResolveContext): Resolved | undefined {
  let hop = first;
  while (!hop.done) {
    if (hop.at === 'input') hop = inputHop(hop.node, hop.index, visited, ctx, hop.type);
    else if (hop.at === 'output') hop = outputHop(hop.node, hop.slot, hop.type, visited, ctx);
    else hop = boundaryHop(hop.scope, hop.slot);
  }
  return hop.result;
}

function boundaryHop(scope: Scope, slot: number): Hop {
  const entry = scope.boundaryInput?.(slot);
  if (!entry) return finished(undefined);
  if ('value' in entry) return finished({ kind: 'value', value: entry.value, fromPrimitive: false });
  const owner = scope.owner as ExecNode;
  return { done: false, at: 'input', node: owner, index: entry.ownerInput };
}

export function resolveInput(node: ExecNode, index: number, visited: Set<string>, ctx: ResolveContext, type?: SlotType): Resolved | undefined {
  return follow({ done: false, at: 'input', node, index, ...(type === undefined ? {} : { type }) }, visited, ctx);
}

export function resolveOutput(node: ExecNode, slot: number, type: SlotType, visited: Set<string>, ctx: ResolveContext): Resolved | undefined {
  return follow({ done: false, at: 'output', node, slot, type }, visited, ctx);
}

function inputHop(node: ExecNode, index: number, visited: Set<string>, ctx: ResolveContext, type?: SlotType): Hop {
  guard(visited, `${node.execId}[I]${index}`, node);
  const input = node.inputs[index];
  if (!input || input.link == null) return finished(undefined);
  const link = node.scope.links.get(input.link);
  if (!link) {
    ctx.warnings.push(`node ${node.execId} (${node.type}) input '${input.name}' names link ${input.link}, which is not in the links table: left unconnected`);
    return finished(undefined);
  }
  if (link.originId === SUBGRAPH_INPUT_NODE_ID && node.scope.owner) return { done: false, at: 'boundary', scope: node.scope, slot: link.originSlot };
  const origin = node.scope.nodes.get(link.originId);
  if (!origin) {
    if (!ctx.lenient) throw new MissingLinkOriginError(node.execId, node.type, input.name, link.originId);
    ctx.warnings.push(`node ${node.execId} (${node.type}) input '${input.name}' comes from node ${link.originId}, which does not exist: left unconnected`);
    return finished(undefined);
  }
  return { done: false, at: 'output', node: origin, slot: link.originSlot, type: type ?? input.type };
}

function outputHop(node: ExecNode, slot: number, type: SlotType, visited: Set<string>, ctx: ResolveContext): Hop {
  guard(visited, `${node.execId}[O]${slot}`, node);
  if (node.mode === MODE_BYPASS) {
    const index = bypassSlotIndex(node, slot, type);
    if (index === -1) {
      ctx.warnings.push(`bypassed node ${node.execId} (${node.type}) has no input matching type ${String(type)}: its consumer is left unconnected`);
      return finished(undefined);
    }
    return { done: false, at: 'input', node, index };
  }
  switch (node.kind) {
    case 'subgraph':
    case 'group': {
      const inner = node.inner as Scope;
      const source = inner.outputSource?.(slot);
      if (!source) return finished(undefined);
      if ('boundarySlot' in source) return { done: false, at: 'boundary', scope: inner, slot: source.boundarySlot };
      const innerNode = inner.nodes.get(source.localId);
      return innerNode ? { done: false, at: 'output', node: innerNode, slot: source.slot, type } : finished(undefined);
    }
    case 'reroute':
      return node.inputs[slot] ? { done: false, at: 'input', node, index: slot, type } : finished(undefined);
    case 'primitive':
      return finished({ kind: 'value', value: primitiveValue(node), fromPrimitive: true });
    case 'frontend':
      return finished(undefined);
    default:
      return finished({ kind: 'link', node, slot });
  }
}
