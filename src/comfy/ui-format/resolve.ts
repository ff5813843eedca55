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

function resolveBoundary(scope: Scope, slot: number, visited: Set<string>, ctx: ResolveContext): Resolved | undefined {
  const entry = scope.boundaryInput?.(slot);
  if (!entry) return undefined;
  if ('value' in entry) return { kind: 'value', value: entry.value, fromPrimitive: false };
  const owner = scope.owner as ExecNode;
  return resolveInput(owner, entry.ownerInput, visited, ctx);
}

export function resolveInput(node: ExecNode, index: number, visited: Set<string>, ctx: ResolveContext, type?: SlotType): Resolved | undefined {
  guard(visited, `${node.execId}[I]${index}`, node);
  const input = node.inputs[index];
  if (!input || input.link == null) return undefined;
  const link = node.scope.links.get(input.link);
  if (!link) {
    ctx.warnings.push(`node ${node.execId} (${node.type}) input '${input.name}' names link ${input.link}, which is not in the links table: left unconnected`);
    return undefined;
  }
  if (link.originId === SUBGRAPH_INPUT_NODE_ID && node.scope.owner) return resolveBoundary(node.scope, link.originSlot, visited, ctx);
  const origin = node.scope.nodes.get(link.originId);
  if (!origin) {
    if (!ctx.lenient) throw new MissingLinkOriginError(node.execId, node.type, input.name, link.originId);
    ctx.warnings.push(`node ${node.execId} (${node.type}) input '${input.name}' comes from node ${link.originId}, which does not exist: left unconnected`);
    return undefined;
  }
  return resolveOutput(origin, link.originSlot, type ?? input.type, visited, ctx);
}

export function resolveOutput(node: ExecNode, slot: number, type: SlotType, visited: Set<string>, ctx: ResolveContext): Resolved | undefined {
  guard(visited, `${node.execId}[O]${slot}`, node);
  if (node.mode === MODE_BYPASS) {
    const index = bypassSlotIndex(node, slot, type);
    if (index === -1) {
      ctx.warnings.push(`bypassed node ${node.execId} (${node.type}) has no input matching type ${String(type)}: its consumer is left unconnected`);
      return undefined;
    }
    return resolveInput(node, index, visited, ctx);
  }
  switch (node.kind) {
    case 'subgraph':
    case 'group': {
      const inner = node.inner as Scope;
      const source = inner.outputSource?.(slot);
      if (!source) return undefined;
      if ('boundarySlot' in source) return resolveBoundary(inner, source.boundarySlot, visited, ctx);
      const innerNode = inner.nodes.get(source.localId);
      return innerNode ? resolveOutput(innerNode, source.slot, type, visited, ctx) : undefined;
    }
    case 'reroute':
      return node.inputs[slot] ? resolveInput(node, slot, visited, ctx, type) : undefined;
    case 'primitive':
      return { kind: 'value', value: primitiveValue(node), fromPrimitive: true };
    case 'frontend':
      return undefined;
    default:
      return { kind: 'link', node, slot };
  }
}
