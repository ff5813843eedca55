import { pyIntRepr } from '../python-repr.js';

const MARK = '__storycore_exact_int__:';

/**
 * A request body as JSON, with integers beyond 2^53 written as Python will read them: JS
 * writes 2^64 as "18446744073709552000", which ComfyUI takes for a number above the seed
 * maximum 18446744073709551615 and rejects. Those print as ComfyUI's bounds
 * (2^64 → 18446744073709551615), any other as its exact value.
 */
export function requestJson(value: unknown): string {
  let unsafe = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
      unsafe = true;
      return `${MARK}${pyIntRepr(v)}`;
    }
    return v;
  });
  return unsafe ? text.replace(new RegExp(`"${MARK}(-?\\d+)"`, 'g'), '$1') : text;
}
