import type { ComfyProtocol } from '../comfyui-version.js';
import type { InputSpec, NodeDef, ObjectInfo } from '../object-info/types.js';

/** V3 socket types whose links current ComfyUI leaves to the frontend to check. */
export const MATCH_TYPE = 'COMFY_MATCHTYPE_V3';
/** A V3 input that grows into `name.<entry>` inputs, one per connected value. */
export const AUTOGROW_TYPE = 'COMFY_AUTOGROW_V3';

const inferred = new WeakMap<ObjectInfo, ComfyProtocol>();

function usesNewSockets(def: NodeDef): boolean {
  if (def.output.includes(MATCH_TYPE)) return true;
  for (const group of [def.input.required, def.input.optional]) {
    for (const spec of Object.values(group ?? {})) if (spec[0] === MATCH_TYPE || spec[0] === AUTOGROW_TYPE) return true;
  }
  return false;
}

/** The rules to validate with: the explicit choice, else what the node set implies. */
export function protocolFor(objectInfo: ObjectInfo, explicit: ComfyProtocol | undefined): ComfyProtocol {
  if (explicit) return explicit;
  let protocol = inferred.get(objectInfo);
  if (!protocol) {
    protocol = Object.values(objectInfo).some(usesNewSockets) ? 'current' : '0.3.64';
    inferred.set(objectInfo, protocol);
  }
  return protocol;
}

/**
 * Current ComfyUI's `validate_node_input`: equal types, `*` or a MatchType socket on either
 * side, a list-typed output into a COMBO input, or comma-separated type sets that intersect
 * (a `*` inside a set matches anything).
 */
export function currentTypesMatch(received: unknown, input: unknown): boolean {
  if (received === input) return true;
  if (received === '*' || input === '*') return true;
  if (received === MATCH_TYPE || input === MATCH_TYPE) return true;
  if (Array.isArray(received) && input === 'COMBO') return true;
  if (typeof received !== 'string' || typeof input !== 'string') return JSON.stringify(received) === JSON.stringify(input);
  const have = new Set(received.split(',').map((t) => t.trim()));
  const want = new Set(input.split(',').map((t) => t.trim()));
  if (have.has('*') || want.has('*')) return true;
  return [...want].some((t) => have.has(t));
}

const finalized = new WeakMap<NodeDef, NodeDef>();

interface AutogrowTemplate {
  input?: { required?: Record<string, InputSpec>; optional?: Record<string, InputSpec> };
  names?: unknown[];
  prefix?: string;
  max?: number;
  min?: number;
}

/** The `name.<entry>` inputs an Autogrow input stands for (TemplateNames or TemplatePrefix). */
function autogrowEntries(name: string, spec: InputSpec): Array<[string, 'required' | 'optional', InputSpec]> {
  const template = ((spec[1] ?? {}) as { template?: AutogrowTemplate }).template ?? {};
  const inner = [
    ...Object.entries(template.input?.required ?? {}).map(([, s]) => ['required', s] as const),
    ...Object.entries(template.input?.optional ?? {}).map(([, s]) => ['optional', s] as const),
  ][0];
  if (!inner) return [];
  const names = Array.isArray(template.names)
    ? template.names.map(String)
    : Array.from({ length: typeof template.max === 'number' ? template.max : 0 }, (_, i) => `${template.prefix ?? ''}${i}`);
  return names.map((entry) => [`${name}.${entry}`, inner[0], inner[1]]);
}

/**
 * The node definition as current ComfyUI validates it (`get_finalized_class_inputs`): every
 * Autogrow input replaced by the dotted inputs it grows into. Other defs come back unchanged.
 */
export function finalizedDef(def: NodeDef): NodeDef {
  const cached = finalized.get(def);
  if (cached) return cached;
  let out = def;
  for (const category of ['required', 'optional'] as const) {
    const group = def.input[category];
    if (!group || !Object.values(group).some((s) => s[0] === AUTOGROW_TYPE)) continue;
    const required: Record<string, InputSpec> = { ...(out.input.required ?? {}) };
    const optional: Record<string, InputSpec> = { ...(out.input.optional ?? {}) };
    for (const [name, spec] of Object.entries(group)) {
      if (spec[0] !== AUTOGROW_TYPE) continue;
      delete (category === 'required' ? required : optional)[name];
      for (const [entry, cat, inner] of autogrowEntries(name, spec)) (cat === 'required' && category === 'required' ? required : optional)[entry] = inner;
    }
    out = { ...out, input: { ...out.input, required, optional }, input_order: undefined };
  }
  finalized.set(def, out);
  return out;
}
