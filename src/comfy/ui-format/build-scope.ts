import type { ObjectInfo } from '../object-info/types.js';
import { groupNodeName, isFrontendOnlyType, PRIMITIVE_NODE, REROUTE } from './frontend-nodes.js';
import { buildGroupScope } from './group-nodes.js';
import type { GroupNodeDefinition, SubgraphDefinition, UiLink, UiNode } from './schema.js';
import { execIdOf, type ExecKind, type ExecNode, type Scope } from './scope.js';
import { buildSubgraphScope } from './subgraphs.js';

/** What every level of the expansion needs to know. */
export interface BuildContext {
  objectInfo: ObjectInfo;
  subgraphs: Map<string, SubgraphDefinition>;
  groupNodes: Record<string, GroupNodeDefinition>;
  warnings: string[];
  /** Subgraph ids being expanded, outermost first: guards against a definition containing itself. */
  expanding: string[];
  /** `extra.frontendVersion` of the file (`1.23.4`), when it says. */
  frontendVersion?: string;
}

function kindOf(type: string, ctx: BuildContext): ExecKind {
  if (ctx.subgraphs.has(type)) return 'subgraph';
  const group = groupNodeName(type);
  if (group !== undefined && ctx.groupNodes[group] !== undefined) return 'group';
  if (type === REROUTE) return 'reroute';
  if (type === PRIMITIVE_NODE) return 'primitive';
  if (ctx.objectInfo[type] !== undefined) return 'backend';
  if (isFrontendOnlyType(type)) return 'frontend';
  return 'unknown';
}

/** Wraps one saved node; instances get their inner scope built right away. */
export function makeExecNode(node: UiNode, scope: Scope, ctx: BuildContext): ExecNode {
  const localId = String(node.id);
  const kind = kindOf(node.type, ctx);
  const exec: ExecNode = {
    execId: execIdOf(scope.path, localId),
    localId,
    type: node.type,
    kind,
    mode: node.mode ?? 0,
    title: node.title,
    inputs: node.inputs ?? [],
    outputs: node.outputs ?? [],
    widgetsValues: node.widgets_values,
    properties: node.properties ?? {},
    scope,
  };
  const def = ctx.objectInfo[node.type];
  if (kind === 'backend' && def) exec.def = def;
  if (kind === 'subgraph') {
    const definition = ctx.subgraphs.get(node.type) as SubgraphDefinition;
    exec.inner = buildSubgraphScope(exec, definition, ctx);
  } else if (kind === 'group') {
    const name = groupNodeName(node.type) as string;
    exec.inner = buildGroupScope(exec, name, ctx.groupNodes[name] as GroupNodeDefinition, ctx);
  }
  return exec;
}

/** Builds a scope from a node list and a links table, wrapping each node. */
export function populateScope(scope: Scope, nodes: UiNode[], ctx: BuildContext): Scope {
  for (const node of nodes) {
    const exec = makeExecNode(node, scope, ctx);
    if (scope.nodes.has(exec.localId)) ctx.warnings.push(`node id ${exec.execId} appears twice; the later one wins`);
    scope.nodes.set(exec.localId, exec);
    scope.ordered.push(exec);
  }
  return scope;
}

export function emptyScope(path: string[], links: Map<number, UiLink>, owner?: ExecNode): Scope {
  const scope: Scope = { path, nodes: new Map(), ordered: [], links };
  if (owner) scope.owner = owner;
  return scope;
}
