/**
 * JSON numbers whose JS value loses what Python wrote: `1.0` (a float that JS holds as the
 * integer 1) and integers beyond 2^53 (`18446744073709551615` becomes 2^64). Parsing with
 * `parseKeepingLiterals` records the original text on the containing object or array, under a
 * non-enumerable symbol (invisible to Object.keys, JSON.stringify and equality checks), so a
 * Python-style writer can print the number exactly as it came.
 */
export const PY_LITERALS: unique symbol = Symbol.for('storycore.pyLiterals');

type Marked = { [PY_LITERALS]?: Record<string, string> };

const SENTINEL = '__storycore_py_literal__';

/** Whether JS would print this literal differently (float written as int, or a rounded big int). */
function needsLiteral(literal: string): boolean {
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  if (/[.eE]/.test(literal)) return Number.isInteger(value);
  return String(value) !== literal;
}

function mark(container: object, key: string, literal: string): void {
  const holder = container as Marked;
  if (!Object.hasOwn(holder, PY_LITERALS)) Object.defineProperty(holder, PY_LITERALS, { value: {}, enumerable: false, writable: true, configurable: true });
  holder[PY_LITERALS]![key] = literal;
}

/** The literal recorded for `container[key]`, if its current value is still the parsed number. */
export function pyLiteralOf(container: object, key: string, value: unknown): string | undefined {
  const literal = (container as Marked)[PY_LITERALS]?.[key];
  return literal !== undefined && typeof value === 'number' && Number(literal) === value ? literal : undefined;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveSlot(value, String(i), value[i]);
    return value;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = reviveSlot(record, key, record[key]);
  }
  return value;
}

function reviveSlot(container: object, key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === SENTINEL) {
      const literal = (value as Record<string, string>)[SENTINEL]!;
      mark(container, key, literal);
      return Number(literal);
    }
  }
  return revive(value);
}

/** JSON.parse, plus the literal text of every number JS would print differently. */
export function parseKeepingLiterals(text: string): unknown {
  let out = '';
  let last = 0;
  let marked = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
      i = j + 1;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const m = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const literal = m.exec(text)?.[0] ?? text[i]!;
      if (needsLiteral(literal)) {
        out += `${text.slice(last, i)}{"${SENTINEL}":"${literal}"}`;
        last = i + literal.length;
        marked = true;
      }
      i += literal.length;
    } else i++;
  }
  const parsed = JSON.parse(marked ? out + text.slice(last) : text) as unknown;
  // A bare top-level number has no container to carry its literal.
  return marked ? reviveSlot({}, '', parsed) : parsed;
}

/**
 * Copies the recorded literals of `from` onto `to`, a structurally equal copy (e.g. the output
 * of a zod parse, which builds new objects), walking both by key.
 */
export function copyLiterals(from: unknown, to: unknown): void {
  if (!from || !to || typeof from !== 'object' || typeof to !== 'object') return;
  const literals = (from as Marked)[PY_LITERALS];
  if (literals) {
    for (const [key, literal] of Object.entries(literals)) if (typeof (to as Record<string, unknown>)[key] === 'number') mark(to, key, literal);
  }
  for (const key of Object.keys(from)) {
    const a = (from as Record<string, unknown>)[key];
    if (a && typeof a === 'object' && Object.hasOwn(to, key)) copyLiterals(a, (to as Record<string, unknown>)[key]);
  }
}
