import type { ApiGraph } from '../../src/comfy/graph.js';

/**
 * Compares a converted prompt with one ComfyUI stored, by the rules of the fixture README:
 * numbers by value, `is_changed` and `_meta` ignored, and LoadImage's upload widget ignored
 * (old editors sent it as `upload`, older ones as `choose file to upload`).
 */
export interface PromptDifference {
  node: string;
  input?: string;
  what: 'missing-node' | 'extra-node' | 'class' | 'missing-input' | 'extra-input' | 'value';
  got?: unknown;
  want?: unknown;
}

const UPLOAD_WIDGET_KEYS = new Set(['upload', 'choose file to upload']);

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

export interface CompareOptions {
  /** `{nodeId: [input…]}` keys of the recorded prompt to ignore (documented oddities). */
  ignoreRecordedInputs?: Record<string, string[]>;
}

export function comparePrompts(got: ApiGraph, want: Record<string, { class_type: string; inputs: Record<string, unknown> }>, options: CompareOptions = {}): PromptDifference[] {
  const diffs: PromptDifference[] = [];
  for (const id of new Set([...Object.keys(want), ...Object.keys(got)])) {
    const g = got[id];
    const w = want[id];
    if (!g) {
      diffs.push({ node: id, what: 'missing-node', want: w?.class_type });
      continue;
    }
    if (!w) {
      diffs.push({ node: id, what: 'extra-node', got: g.class_type });
      continue;
    }
    if (g.class_type !== w.class_type) diffs.push({ node: id, what: 'class', got: g.class_type, want: w.class_type });
    const ignored = new Set(options.ignoreRecordedInputs?.[id] ?? []);
    for (const input of new Set([...Object.keys(w.inputs), ...Object.keys(g.inputs)])) {
      if (w.class_type === 'LoadImage' && UPLOAD_WIDGET_KEYS.has(input)) continue;
      if (ignored.has(input) && !(input in g.inputs)) continue;
      if (!(input in g.inputs)) diffs.push({ node: id, input, what: 'missing-input', want: w.inputs[input] });
      else if (!(input in w.inputs)) diffs.push({ node: id, input, what: 'extra-input', got: g.inputs[input] });
      else if (!sameValue(g.inputs[input], w.inputs[input])) diffs.push({ node: id, input, what: 'value', got: g.inputs[input], want: w.inputs[input] });
    }
  }
  return diffs;
}

/** Renames node ids (and the links naming them) in a prompt. */
export function renameNodes(prompt: ApiGraph, map: Record<string, string>): ApiGraph {
  const out: ApiGraph = {};
  for (const [id, node] of Object.entries(prompt)) {
    const inputs = Object.fromEntries(
      Object.entries(node.inputs).map(([k, v]) => [k, Array.isArray(v) && typeof v[0] === 'string' && map[v[0]] ? [map[v[0]], v[1]] : v]),
    );
    out[map[id] ?? id] = { ...node, inputs: inputs as typeof node.inputs };
  }
  return out;
}
