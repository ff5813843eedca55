import type { ApiGraph, ApiNode, InputValue } from '../graph.js';
import { isLink } from '../graph.js';
import type { ObjectInfo } from '../object-info/types.js';
import { emptyScope, populateScope, type BuildContext } from './build-scope.js';
import { InvalidWorkflowError } from './errors/invalid-workflow-error.js';
import { UnknownNodeClassError, type UnknownNode } from './errors/unknown-node-class-error.js';
import { executionOrder } from './execution-order.js';
import { resolveInput } from './resolve.js';
import { indexLinks, uiWorkflowSchema, type UiWorkflow } from './schema.js';
import { MODE_BYPASS, MODE_NEVER, type ExecNode, type Scope } from './scope.js';
import { widgetValues, type FilledDefault } from './widget-values.js';

export interface ConvertOptions {
  /** Keep only these output nodes and their ancestors (the editor's "queue selected outputs"). */
  outputNodeIds?: string[];
  /** Omit `_meta.title` (older servers ignore it anyway). */
  omitMeta?: boolean;
  /** Convert a link from a node that does not exist to an unconnected input (warned) instead of failing. */
  lenient?: boolean;
}

export interface ConversionResult {
  prompt: ApiGraph;
  warnings: string[];
  /** Widget inputs the workflow held no value for, sent with the node definition's default. */
  filledDefaults: FilledDefault[];
}

/** Nodes in the order the editor builds its execution map: instances expand in place. */
function emissionOrder(root: Scope): ExecNode[] {
  const seen = new Set<string>();
  const result: ExecNode[] = [];
  const add = (node: ExecNode): void => {
    if (seen.has(node.execId)) return;
    seen.add(node.execId);
    result.push(node);
  };
  const expandSubgraph = (instance: ExecNode): void => {
    add(instance);
    for (const inner of instance.inner?.ordered ?? []) {
      if (inner.kind === 'subgraph') expandSubgraph(inner);
      else add(inner);
    }
  };
  for (const node of executionOrder(root)) {
    if (node.kind === 'subgraph') expandSubgraph(node);
    else if (node.kind === 'group') {
      // A muted or bypassed group node hides all of its inner nodes.
      if (node.mode !== MODE_NEVER && node.mode !== MODE_BYPASS) for (const inner of node.inner?.ordered ?? []) add(inner);
      add(node);
    } else add(node);
  }
  return result;
}

function wrap(value: unknown): InputValue {
  return (Array.isArray(value) ? { __value__: value } : value) as InputValue;
}

function emitNode(node: ExecNode, warnings: string[], filledDefaults: FilledDefault[], options: ConvertOptions): ApiNode {
  const inputs: Record<string, InputValue> = {};
  if (node.def) {
    for (const [name, value] of widgetValues(node, node.def, { warnings, filledDefaults })) inputs[name] = wrap(value);
  }
  node.inputs.forEach((input, index) => {
    const resolved = resolveInput(node, index, new Set(), { warnings, lenient: options.lenient ?? false });
    if (!resolved) return;
    if (resolved.kind === 'value') {
      // A primitive sets the widget it drives; a promoted subgraph widget fills the input.
      inputs[resolved.fromPrimitive ? (input.widget?.name ?? input.name) : input.name] = wrap(resolved.value);
      return;
    }
    inputs[input.name] = [resolved.node.execId, resolved.slot];
  });
  const apiNode: ApiNode = { inputs, class_type: node.type };
  if (!options.omitMeta) apiNode._meta = { title: node.title ?? node.def?.display_name ?? node.type };
  return apiNode;
}

function keepAncestors(prompt: ApiGraph, outputs: string[]): ApiGraph {
  const kept: ApiGraph = {};
  // Depth-first on an explicit stack: a long chain of nodes must not overflow the call stack.
  const stack = [...outputs].reverse();
  while (stack.length > 0) {
    const id = stack.pop()!;
    const node = prompt[id];
    if (!node || kept[id]) continue;
    kept[id] = node;
    const links = Object.values(node.inputs).filter(isLink).map((value) => value[0]);
    for (let i = links.length - 1; i >= 0; i--) stack.push(links[i]!);
  }
  return kept;
}

export function parseUiWorkflow(workflow: unknown): UiWorkflow {
  const parsed = uiWorkflowSchema.safeParse(workflow);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidWorkflowError(`not a ComfyUI editor workflow: ${issues.slice(0, 3).join('; ')}`, issues, parsed.error);
  }
  return parsed.data;
}

/**
 * Converts an editor workflow (UI format) to the API prompt ComfyUI executes, as the editor's
 * "Queue" does: widgets read from `widgets_values` using the node definitions in `objectInfo`,
 * links resolved through reroutes, primitives, bypassed nodes, group nodes and subgraphs, and
 * muted, bypassed and editor-only nodes left out. A link from a node that is not in the
 * workflow throws MissingLinkOriginError unless `lenient`.
 *
 * @example
 * const { prompt, warnings } = convertUiToApi(JSON.parse(text), defaultObjectInfo());
 */
export function convertUiToApi(workflow: unknown, objectInfo: ObjectInfo, options: ConvertOptions = {}): ConversionResult {
  const parsed = parseUiWorkflow(workflow);
  const warnings: string[] = [];
  const filledDefaults: FilledDefault[] = [];
  const ctx: BuildContext = {
    objectInfo,
    subgraphs: new Map((parsed.definitions?.subgraphs ?? []).map((sg) => [sg.id, sg])),
    groupNodes: parsed.extra?.groupNodes ?? {},
    warnings,
    expanding: [],
    ...(typeof parsed.extra?.frontendVersion === 'string' ? { frontendVersion: parsed.extra.frontendVersion } : {}),
  };
  const root = populateScope(emptyScope([], indexLinks(parsed.links)), parsed.nodes, ctx);

  let prompt: ApiGraph = {};
  const unknown: UnknownNode[] = [];
  for (const node of emissionOrder(root)) {
    if (node.mode === MODE_NEVER || node.mode === MODE_BYPASS) continue;
    if (node.kind === 'unknown') unknown.push({ id: node.execId, type: node.type });
    if (node.kind !== 'backend') continue;
    prompt[node.execId] = emitNode(node, warnings, filledDefaults, options);
  }
  if (unknown.length > 0) throw new UnknownNodeClassError(unknown);

  // A link into a node that is not sent (muted, or missing) is dropped, as the editor does.
  for (const [id, node] of Object.entries(prompt)) {
    for (const [name, value] of Object.entries(node.inputs)) {
      if (isLink(value) && prompt[value[0]] === undefined) {
        delete node.inputs[name];
        warnings.push(`node ${id} (${node.class_type}) input '${name}' came from node ${value[0]}, which is muted or not sent: dropped`);
      }
    }
  }
  if (options.outputNodeIds?.length) prompt = keepAncestors(prompt, options.outputNodeIds);
  return { prompt, warnings, filledDefaults };
}
