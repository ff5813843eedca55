import { pyStr, pyStrRepr, pyTypeName } from '../python-repr.js';
import { keyError, PyException, typeError, type PyFrame } from './python-exception.js';

/**
 * Python built-ins applied to JSON values the way ComfyUI's validation applies them:
 * `int()`, `float()`, `str()`, `bool()`, `==`, `in`, `[]` and `<`. Failures throw
 * `PyException` with CPython's exact message.
 */

// Characters str.strip() / int() / float() treat as whitespace.
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const DIGITS = '\\d(?:_?\\d)*';
const INT_LITERAL = new RegExp(`^[+-]?${DIGITS}$`);
const FLOAT_LITERAL = new RegExp(`^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][+-]?${DIGITS})?$`);
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

function pyStrip(text: string): string {
  return text.replace(STRIP, '');
}

/** `int(value)`: truncates floats, parses base-10 strings (underscores allowed), rejects "5.0". */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new PyException('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(value)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    const text = pyStrip(value);
    if (!INT_LITERAL.test(text)) {
      throw new PyException('ValueError', `invalid literal for int() with base 10: ${pyStrRepr(value)}`);
    }
    return Number(BigInt(text.replace(/_/g, '')));
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`);
}

/** `float(value)`: accepts "1e3", " 2.5 ", "inf", "nan", "1_000.5". */
export function pyFloat(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = pyStrip(value);
    const special = FLOAT_SPECIAL.exec(text);
    if (special) {
      const negative = special[1] === '-';
      if (special[2]!.toLowerCase() === 'nan') return NaN;
      return negative ? -Infinity : Infinity;
    }
    if (!FLOAT_LITERAL.test(text)) {
      throw new PyException('ValueError', `could not convert string to float: ${pyStrRepr(value)}`);
    }
    return Number(text.replace(/_/g, ''));
  }
  throw typeError(`float() argument must be a string or a real number, not '${pyTypeName(value)}'`);
}

/** `str(value)`. */
export function pyStrCoerce(value: unknown): string {
  return pyStr(value);
}

/** `bool(value)`: Python truthiness, so "false" is True. */
export function pyBool(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return Object.keys(value as object).length > 0;
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** `a == b` (True == 1 == 1.0; lists and dicts compare by content). */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b as object, k) && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function isHashable(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

/** `item in container` for a dict (keys), list (elements) or str (substring). */
export function pyContains(container: unknown, item: unknown, frames: PyFrame[] = []): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      throw typeError(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`, frames);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (container !== null && typeof container === 'object') {
    if (!isHashable(item)) throw typeError(`unhashable type: '${pyTypeName(item)}'`, frames);
    return typeof item === 'string' && Object.hasOwn(container, item);
  }
  throw typeError(`argument of type '${pyTypeName(container)}' is not iterable`, frames);
}

/** `container[key]` where the container should be a dict with string keys. */
export function pyGetItem(container: unknown, key: unknown, frames: PyFrame[] = []): unknown {
  if (container !== null && typeof container === 'object' && !Array.isArray(container)) {
    if (!isHashable(key)) throw typeError(`unhashable type: '${pyTypeName(key)}'`, frames);
    if (typeof key === 'string' && Object.hasOwn(container, key)) return (container as Record<string, unknown>)[key];
    throw keyError(key, frames);
  }
  if (Array.isArray(container)) return pySequenceIndex(container, key, 'list', frames);
  if (typeof container === 'string') {
    if (typeof key === 'number' && Number.isInteger(key)) return pySequenceIndex([...container], key, 'string', frames);
    throw typeError(`string indices must be integers, not '${pyTypeName(key)}'`, frames);
  }
  throw typeError(`'${pyTypeName(container)}' object is not subscriptable`, frames);
}

/** `seq[index]` for a tuple or list: negative indexes count from the end. */
export function pySequenceIndex(seq: readonly unknown[], index: unknown, kind: 'tuple' | 'list' | 'string', frames: PyFrame[] = []): unknown {
  const n = numeric(index);
  if (n === undefined || !Number.isInteger(n)) {
    throw typeError(`${kind} indices must be integers or slices, not ${pyTypeName(index)}`, frames);
  }
  const i = n < 0 ? n + seq.length : n;
  if (i < 0 || i >= seq.length) throw new PyException('IndexError', `${kind} index out of range`, frames);
  return seq[i];
}

/** `a < b` (op '<') or `a > b` (op '>'), numbers with numbers and str with str only. */
export function pyCompare(a: unknown, op: '<' | '>', b: unknown, frames: PyFrame[] = []): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return op === '<' ? na < nb : na > nb;
  if (typeof a === 'string' && typeof b === 'string') return op === '<' ? a < b : a > b;
  throw typeError(`'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`, frames);
}
