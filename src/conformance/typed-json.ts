/**
 * JSON.parse loses the difference between `1` and `1.0`, which Python keeps and ComfyUI's
 * messages show (findings 6 and 8: progress values, `max_upload_size`). This parser keeps it:
 * floats come back as `PyFloat`, integers as plain numbers (or bigint-free strings of digits
 * are not needed: values are only compared by kind).
 */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): string {
    return Number.isInteger(this.value) ? `${this.value}.0` : String(this.value);
  }
}

const FLOAT_KEY = '__conformance_pyfloat__';

/** Parses JSON text, marking every number written with a fraction or exponent as a PyFloat. */
export function parseTypedJson(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const literal = m?.[0] ?? c;
      out += m?.[1] !== undefined || m?.[2] !== undefined ? `{"${FLOAT_KEY}":${literal}}` : literal;
      i += literal.length;
    } else {
      out += c;
      i++;
    }
  }
  // Python's json.dumps writes NaN/Infinity bare; they never occur in the recorded traffic.
  return revive(JSON.parse(out) as unknown);
}

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === FLOAT_KEY) return new PyFloat((v as Record<string, number>)[FLOAT_KEY] as number);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}
