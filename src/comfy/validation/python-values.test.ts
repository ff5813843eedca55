import { describe, expect, it } from 'vitest';
import { PyException } from './python-exception.js';
import { pyBool, pyContains, pyEquals, pyFloat, pyGetItem, pyInt } from './python-values.js';

function pyError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PyException) return `${err.pyType}: ${err.pyMessage}`;
    throw err;
  }
  throw new Error('no exception');
}

describe('int()', () => {
  it('converts like Python', () => {
    expect(pyInt(5.7)).toBe(5);
    expect(pyInt(-5.7)).toBe(-5);
    expect(pyInt('12')).toBe(12);
    expect(pyInt(' -12 ')).toBe(-12);
    expect(pyInt('1_000')).toBe(1000);
    expect(pyInt('007')).toBe(7);
    expect(pyInt(true)).toBe(1);
  });
  it('fails with CPython messages', () => {
    expect(pyError(() => pyInt('5.0'))).toBe("ValueError: invalid literal for int() with base 10: '5.0'");
    expect(pyError(() => pyInt('wide'))).toBe("ValueError: invalid literal for int() with base 10: 'wide'");
    expect(pyError(() => pyInt("it's"))).toBe(`ValueError: invalid literal for int() with base 10: "it's"`);
    expect(pyError(() => pyInt(''))).toBe("ValueError: invalid literal for int() with base 10: ''");
    expect(pyError(() => pyInt('1__0'))).toBe("ValueError: invalid literal for int() with base 10: '1__0'");
    expect(pyError(() => pyInt(null))).toBe(
      "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    );
    expect(pyError(() => pyInt([1]))).toContain("not 'list'");
  });
});

describe('float(), bool()', () => {
  it('float', () => {
    expect(pyFloat('1e3')).toBe(1000);
    expect(pyFloat(' .5 ')).toBe(0.5);
    expect(pyFloat('5.')).toBe(5);
    expect(pyFloat('-inf')).toBe(-Infinity);
    expect(pyFloat(3)).toBe(3);
    expect(pyError(() => pyFloat('abc'))).toBe("ValueError: could not convert string to float: 'abc'");
    expect(pyError(() => pyFloat({}))).toBe("TypeError: float() argument must be a string or a real number, not 'dict'");
  });
  it('bool is truthiness ("false" is True)', () => {
    expect(pyBool('false')).toBe(true);
    expect(pyBool('')).toBe(false);
    expect(pyBool(0)).toBe(false);
    expect(pyBool([])).toBe(false);
    expect(pyBool({ a: 1 })).toBe(true);
  });
});

describe('==, in, []', () => {
  it('compares like Python', () => {
    expect(pyEquals(1, true)).toBe(true);
    expect(pyEquals('1', 1)).toBe(false);
    expect(pyContains(['a', 'b'], 'b')).toBe(true);
    expect(pyContains('a class_type b', 'class_type')).toBe(true);
    expect(pyError(() => pyContains(5, 'x'))).toBe("TypeError: argument of type 'int' is not iterable");
    expect(pyError(() => pyGetItem({ a: 1 }, '99'))).toBe("KeyError: '99'");
    expect(pyError(() => pyGetItem({ a: 1 }, 1))).toBe('KeyError: 1');
    expect(pyError(() => pyGetItem({ a: 1 }, ['x']))).toBe("TypeError: unhashable type: 'list'");
  });
});
