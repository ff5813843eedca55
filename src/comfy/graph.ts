/**
 * The API-format graph ("prompt") that ComfyUI executes: node id → { class_type, inputs }.
 * An input is a literal or a link `[sourceNodeId, outputIndex]`; literal arrays travel as
 * `{ "__value__": [...] }`. Node ids are strings (subgraphs produce ids such as "57:12").
 */
export type NodeId = string;

export type Link = [NodeId, number];

export type InputValue = string | number | boolean | null | Link | { __value__: unknown[] } | Record<string, unknown>;

export interface ApiNode {
  class_type: string;
  inputs: Record<string, InputValue>;
  _meta?: { title?: string };
}

export type ApiGraph = Record<NodeId, ApiNode>;

/** True for `[ "id", index ]`, the only array shape an API-format input may take. */
export function isLink(value: unknown): value is Link {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && Number.isInteger(value[1]);
}
