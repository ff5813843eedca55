import { pyLiteralOf } from '../../comfy/py-literals.js';
import { pyIntRepr } from '../../comfy/python-repr.js';
/**
 * JSON as Python's `json.dumps` writes it (", " and ": " separators, floats keep ".0"), so
 * bodies and frames match real ComfyUI byte for byte where the values do. A number that
 * Python holds as a float (progress values, `float(number)` priorities) is wrapped in
 * `PyFloat`; plain JS numbers are written as ints when integral.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value.toFixed(0)}.0`;
  const text = String(value);
  // JS writes 1e+21 / 1e-7; Python writes 1e+21 / 1e-07.
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * An int as Python prints it. JS rounds integers beyond 2^53 (`String(2**64)` is
 * "18446744073709552000", a number Python never sent): the bounds ComfyUI uses print as Python
 * wrote them, any other as its exact value. Numbers read with their literal kept print that.
 */
function pyIntText(value: number): string {
  if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
  return pyIntRepr(value);
}

function pyString(value: string): string {
  // json.dumps escapes every non-ASCII character (ensure_ascii=True).
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function pyDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  switch (typeof value) {
    case 'string':
      return pyString(value);
    case 'number':
      return Number.isInteger(value) ? pyIntText(value) : pyFloatRepr(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v, i) => pyLiteralOf(value, String(i), v) ?? pyDumps(v)).join(', ')}]`;
      const maybe = value as { toJSON?: () => unknown };
      if (typeof maybe.toJSON === 'function') return pyDumps(maybe.toJSON());
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        parts.push(`${pyString(k)}: ${pyLiteralOf(value, k, v) ?? pyDumps(v)}`);
      }
      return `{${parts.join(', ')}}`;
    }
    default:
      return 'null';
  }
}

/** Python's `str()` of a JSON-like value (dict/list repr), as `format_value` puts into `current_inputs`. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  switch (typeof value) {
    case 'string': {
      const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
      const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
      return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
    }
    case 'number':
      return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'object':
      if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v)).join(', ')}]`;
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
        .join(', ')}}`;
    default:
      return String(value);
  }
}
