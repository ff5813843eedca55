import { describe, expect, it } from 'vitest';
import { requestJson } from './json-body.js';

describe('request bodies keep integers beyond 2^53 as Python reads them', () => {
  it('writes the seed maximum as 18446744073709551615, not the JS-rounded 18446744073709552000', () => {
    // What JSON.parse makes of ComfyUI's seed maximum (a story file, a saved graph).
    const seedMax = JSON.parse('18446744073709551615') as number;
    expect(requestJson({ inputs: { seed: seedMax } })).toBe('{"inputs":{"seed":18446744073709551615}}');
    expect(requestJson([2 ** 63, -(2 ** 63)])).toBe('[9223372036854775807,-9223372036854775807]');
    expect(requestJson({ n: 2 ** 60 + 2 ** 10 })).toBe(`{"n":${(2n ** 60n + 2n ** 10n).toString()}}`);
  });

  it('leaves everything else as JSON.stringify writes it', () => {
    const value = { a: 1, b: 1.5, c: 'x "__storycore_exact_int__:1"', d: [Number.MAX_SAFE_INTEGER], e: null };
    expect(requestJson(value)).toBe(JSON.stringify(value));
  });
});
