/**
 * What differs between any two captures by nature (README "Non-deterministic across captures")
 * is rewritten to a placeholder before two transcripts are compared: prompt ids and other
 * uuids, 32-hex session ids, PreviewImage's random temp prefix, file counters. Numbers
 * (timestamps, RAM/VRAM, queue numbers) are compared by type only, so they need no rewrite.
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HEX32 = /\b[0-9a-f]{32}\b/gi;
const TEMP_PREFIX = /ComfyUI_temp_[a-z]{5}_/g;
const COUNTER = /_\d{5}_/g;

export function normaliseString(value: string): string {
  return value.replace(UUID, '<uuid>').replace(HEX32, '<hex32>').replace(TEMP_PREFIX, 'ComfyUI_temp_<rand>_').replace(COUNTER, '_<n>_');
}

/** Replaces every occurrence of a live id (in strings and object keys) by its recorded counterpart. */
export function substituteIds<T>(value: T, substitutions: ReadonlyArray<[string, string]>): T {
  if (substitutions.length === 0) return value;
  const swap = (s: string): string => {
    let out = s;
    for (const [live, recorded] of substitutions) if (out.includes(live)) out = out.split(live).join(recorded);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return swap(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [swap(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** A request path with ids and counters normalised, and its query parameters kept in order. */
export function normalisePath(path: string): string {
  return normaliseString(path);
}
