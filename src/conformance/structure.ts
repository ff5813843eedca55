import { normaliseString } from './normalise.js';
import { PyFloat } from './typed-json.js';

/** One place where a live transcript does not match the recording. */
export interface Difference {
  scenario: string;
  /** Which exchange: `http #4 POST /prompt`, `ws client frame #12 (recorded seq 17)`. */
  where: string;
  /** JSON path inside that exchange (`$.data.nodes["1"].state`), or `$` for the exchange itself. */
  path: string;
  expected: string;
  actual: string;
}

/**
 * Values compared exactly (after normalisation), wherever they appear: they name kinds
 * (message/error/file `type`, `exception_type`), outcomes (`status_str`, `completed`,
 * progress `state`) or the node a message is about (`node`, `node_id`, …).
 * Every other scalar is compared by JSON type only.
 */
const EXACT_KEYS = new Set(['type', 'status_str', 'completed', 'exception_type', 'node_type', 'image_type', 'node', 'display_node', 'node_id', 'display_node_id', 'real_node_id', 'state']);

/**
 * Arrays whose length is the server's own business: tracebacks (another code base's frames),
 * argv, folder and model lists, device lists, combo option lists of installed files.
 */
const FREE_LENGTH: RegExp[] = [/\.traceback$/, /\.argv$/, /\.devices$/, /^\$\["[^"]+"\]$/, /^\$$/];

export interface StructureOptions {
  /** Paths (regex on the JSON path) whose arrays may differ in length; on top of FREE_LENGTH. */
  freeLength?: RegExp[];
  /** Paths not compared at all. */
  ignore?: RegExp[];
}

/** JSON kinds, with Python's int/float split (floats arrive as PyFloat from parseTypedJson). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Structural comparison: same keys recursively, same JSON value types, same array lengths
 * (except free-length arrays, whose elements are compared against the first recorded one),
 * and equal values for EXACT_KEYS. Reports at most `limit` differences.
 */
export function compareStructure(
  expected: unknown,
  actual: unknown,
  report: (path: string, expected: string, actual: string) => void,
  options: StructureOptions = {},
  path = '$',
  key?: string,
): void {
  if (options.ignore?.some((re) => re.test(path))) return;
  const te = jsonType(expected);
  const ta = jsonType(actual);
  if (te !== ta) {
    report(path, `${te} ${show(expected)}`, `${ta} ${show(actual)}`);
    return;
  }
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    const free = [...FREE_LENGTH, ...(options.freeLength ?? [])].some((re) => re.test(path));
    if (e.length !== a.length && !free) {
      report(path, `array of ${e.length} ${show(e)}`, `array of ${a.length} ${show(a)}`);
      return;
    }
    if (free) {
      // Element shape only: each live element against the first recorded one.
      if (e.length > 0) a.forEach((x, i) => compareStructure(e[Math.min(i, e.length - 1)], x, report, options, child(path, i)));
      return;
    }
    e.forEach((x, i) => compareStructure(x, a[i], report, options, child(path, i)));
    return;
  }
  if (te === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const ek = new Map(Object.keys(e).map((k) => [normaliseString(k), k]));
    const ak = new Map(Object.keys(a).map((k) => [normaliseString(k), k]));
    for (const [nk, k] of ek) {
      const other = ak.get(nk);
      if (other === undefined) report(child(path, k), `key present: ${show(e[k])}`, 'missing');
      else compareStructure(e[k], a[other], report, options, child(path, k), nk);
    }
    for (const [nk, k] of ak) if (!ek.has(nk)) report(child(path, k), 'absent', `unexpected key: ${show(a[k])}`);
    return;
  }
  if (key !== undefined && EXACT_KEYS.has(key)) {
    const scalar = (v: unknown) => (typeof v === 'string' ? normaliseString(v) : v instanceof PyFloat ? v.value : v);
    const ne = scalar(expected);
    const na = scalar(actual);
    if (ne !== na) report(path, show(expected), show(actual));
  }
}
