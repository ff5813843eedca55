import { InvalidArgumentError } from 'commander';
import { closestMatch } from '../platform/did-you-mean.js';

/**
 * Parsers of option values. Each returns a value the command can use as it is or throws
 * commander's InvalidArgumentError, which prints `option '--since <minutes>' argument 'abc'
 * is invalid. expected …` — the option, the value and what is expected, on one line.
 * Numbers are plain decimals: '0x10', '', ' ', 'Infinity' and '1e999' are refused.
 */

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The longest wait setTimeout honours (2^31 − 1 ms, about 24.8 days), in seconds. */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function decimal(value: string): number | undefined {
  const text = value.trim();
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function positiveNumber(value: string): number {
  const n = decimal(value);
  if (n === undefined || n <= 0) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

export function positiveInteger(value: string): number {
  const n = decimal(value);
  if (n === undefined || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

export function port(value: string): number {
  const n = decimal(value);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port number between 0 and 65535.');
  return n;
}

/** A whole number from `min` to `max`. */
export function integerIn(min: number, max: number): (value: string) => number {
  return function integerInRange(value: string): number {
    const n = decimal(value);
    if (n === undefined || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** A number above 0 and at most `max`. */
export function positiveUpTo(max: number, unit = ''): (value: string) => number {
  return function positiveInRange(value: string): number {
    const n = decimal(value);
    if (n === undefined || n <= 0 || n > max) throw new InvalidArgumentError(`expected a positive number up to ${max}${unit}.`);
    return n;
  };
}

/** Seconds to wait: positive, and no longer than a timer can wait. */
export const seconds = positiveUpTo(MAX_SECONDS, ' seconds');

/** One of `choices`, with the nearest one suggested for a typo. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return function choice(value: string): T {
    if ((choices as readonly string[]).includes(value)) return value as T;
    const guess = closestMatch(value.slice(0, 100), choices);
    throw new InvalidArgumentError(`expected one of ${choices.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}.`);
  };
}

/** `--planner`: rules or llm. */
export const plannerKind = oneOf(['rules', 'llm'] as const);

/** `--gpu` (repeatable): a GPU index from 0 to 63. */
export function collectGpu(value: string, previous: number[]): number[] {
  const n = decimal(value);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 63) throw new InvalidArgumentError('expected a GPU index (0, 1, …, 63).');
  return [...previous, n];
}
