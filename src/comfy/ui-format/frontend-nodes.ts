/**
 * Node types that exist only in the editor: they never reach the server. `Reroute` and
 * `PrimitiveNode` still matter while resolving links (they pass a link on or supply a value);
 * the others are skipped outright.
 */
export const REROUTE = 'Reroute';
export const PRIMITIVE_NODE = 'PrimitiveNode';

const FRONTEND_ONLY = new Set([
  'Note',
  'MarkdownNote',
  REROUTE,
  PRIMITIVE_NODE,
  'PrimitiveNode (Legacy)',
  'Comfy.GroupNode',
]);

export function isFrontendOnlyType(type: string): boolean {
  return FRONTEND_ONLY.has(type);
}

/** `workflow>Name` (frontend ≥ 1.2.63) or `workflow/Name` (older) → `Name`; otherwise undefined. */
export function groupNodeName(type: string): string | undefined {
  const match = /^workflow[>/](.+)$/.exec(type);
  return match?.[1];
}

export const SUBGRAPH_INPUT_NODE_ID = '-10';
export const SUBGRAPH_OUTPUT_NODE_ID = '-20';
