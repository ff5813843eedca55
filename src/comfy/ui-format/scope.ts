import type { NodeDef } from '../object-info/types.js';
import type { UiInputSlot, UiLink, UiNode, UiOutputSlot } from './schema.js';

/**
 * One level of the graph being converted: the root workflow, the inside of one subgraph
 * instance, or the inside of one legacy group node instance. Subgraph and group instances are
 * expanded into their own scope so that link resolution can walk up and down between levels
 * the way the editor's `ExecutableNodeDTO` does.
 */
export interface Scope {
  /** Execution-id prefix: `[]` at the root, `["41"]` inside instance 41, `["41", "7"]` nested. */
  path: string[];
  nodes: Map<string, ExecNode>;
  /** Nodes in the order their definition lists them (the order inner nodes are emitted). */
  ordered: ExecNode[];
  links: Map<number, UiLink>;
  /** The instance that owns this scope (absent at the root). */
  owner?: ExecNode;
  /** Where a boundary link (`origin_id` -10) at `slot` enters: an input index of `owner`, or a promoted value. */
  boundaryInput?(slot: number): { ownerInput: number } | { value: unknown } | undefined;
  /** Which inner node output feeds the owner's output `slot`. */
  outputSource?(slot: number): { localId: string; slot: number } | { boundarySlot: number } | undefined;
}

export type ExecKind = 'backend' | 'reroute' | 'primitive' | 'frontend' | 'subgraph' | 'group' | 'unknown';

export interface ExecNode {
  execId: string;
  localId: string;
  type: string;
  kind: ExecKind;
  mode: number;
  title: string | undefined;
  inputs: UiInputSlot[];
  outputs: UiOutputSlot[];
  widgetsValues: UiNode['widgets_values'];
  properties: Record<string, unknown>;
  scope: Scope;
  def?: NodeDef;
  /** Inner scope of a subgraph or group instance. */
  inner?: Scope;
  /** Widget values that replace the node's own (set by a group node instance on its inner nodes). */
  widgetOverrides?: Map<string, unknown>;
}

export const MODE_NEVER = 2;
export const MODE_BYPASS = 4;

export function execIdOf(path: string[], localId: string): string {
  return [...path, localId].join(':');
}
