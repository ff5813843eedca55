import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyIntRepr, pyRepr, pyStr, pyStrRepr } from './python-repr.js';

describe('pyStrRepr', () => {
  it('quotes like Python', () => {
    expect(pyStrRepr('a.png')).toBe("'a.png'");
    expect(pyStrRepr("it's")).toBe('"it\'s"');
    expect(pyStrRepr('say "hi"')).toBe("'say \"hi\"'");
    expect(pyStrRepr(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(pyStrRepr('back\\slash\nline\ttab')).toBe("'back\\\\slash\\nline\\ttab'");
    expect(pyStrRepr('\x00\x7f')).toBe("'\\x00\\x7f'");
    expect(pyStrRepr('é 日本 \u00a0 \u200b')).toBe("'é 日本 \\xa0 \\u200b'");
  });
});

describe('pyFloatRepr', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.2345e-7, '1.2345e-07'],
    [123456.789, '123456.789'],
    [Infinity, 'inf'],
    [NaN, 'nan'],
  ])('%s → %s', (value, text) => expect(pyFloatRepr(value)).toBe(text));
});

describe('pyRepr / pyStr', () => {
  it('prints JSON values as Python literals', () => {
    expect(pyRepr(['a', 1, 1.5, true, false, null])).toBe("['a', 1, 1.5, True, False, None]");
    expect(pyRepr({ a: [1], "b'": 'x' })).toBe(`{'a': [1], "b'": 'x'}`);
    expect(pyRepr([])).toBe('[]');
    expect(pyStr('plain')).toBe('plain');
    expect(pyStr(null)).toBe('None');
  });
  it('prints the seed maximum as Python wrote it', () => {
    expect(pyIntRepr(2 ** 64)).toBe('18446744073709551615');
    expect(pyIntRepr(-(2 ** 63))).toBe('-9223372036854775807');
    expect(pyIntRepr(16384)).toBe('16384');
  });
});
