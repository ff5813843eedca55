import type { InputOptions, NodeDef } from '../object-info/types.js';

/** `get_input_info`: declared type, category and options (`{}` when the spec has none). */
export interface InputInfo {
  type: string | unknown[];
  category: 'required' | 'optional' | 'hidden';
  options: InputOptions;
}

export function inputInfo(def: NodeDef, name: string): InputInfo | undefined {
  for (const category of ['required', 'optional'] as const) {
    const group = def.input[category];
    if (group && Object.hasOwn(group, name)) {
      const spec = group[name]!;
      return { type: spec[0], category, options: (spec[1] ?? {}) as InputOptions };
    }
  }
  const hidden = def.input.hidden;
  if (hidden && Object.hasOwn(hidden, name)) {
    const spec = hidden[name];
    const type = Array.isArray(spec) ? (spec[0] as string) : (spec as string);
    const options = Array.isArray(spec) && spec[1] && typeof spec[1] === 'object' ? (spec[1] as InputOptions) : {};
    return { type, category: 'hidden', options };
  }
  return undefined;
}

/**
 * Required ∪ optional input names. Python iterates a set here (no stable order); we use the
 * declared order, required first, so error lists are deterministic.
 */
export function declaredInputs(def: NodeDef): string[] {
  const names = new Set<string>();
  for (const category of ['required', 'optional'] as const) {
    const group = def.input[category];
    if (!group) continue;
    const order = def.input_order?.[category] ?? [];
    for (const name of order) if (Object.hasOwn(group, name)) names.add(name);
    for (const name of Object.keys(group)) names.add(name);
  }
  return [...names];
}

/**
 * V3 nodes (comfy_api schema) serialize `api_node`; their RETURN_TYPES is a list, V1's a tuple,
 * which shows in "list index out of range" vs "tuple index out of range".
 */
export function isV3Node(def: NodeDef): boolean {
  return Object.hasOwn(def, 'api_node');
}

/**
 * Link compatibility: equal types, `*` on either side, or comma-separated sets that intersect
 * (`validate_node_input` plus the `__ne__` override of ComfyUI's IO type strings).
 */
export function typesMatch(received: unknown, input: unknown): boolean {
  if (received === '*' || input === '*') return true;
  if (typeof received === 'string' && typeof input === 'string') {
    if (received === input) return true;
    const have = new Set(received.split(',').map((t) => t.trim()));
    return input.split(',').some((t) => have.has(t.trim()));
  }
  return JSON.stringify(received) === JSON.stringify(input);
}
