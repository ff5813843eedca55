import type { Document } from 'yaml';
import { InputLimitError } from './errors/input-limit-error.js';
import { checkDepth, DEFAULT_INPUT_LIMITS, raiseHint, type InputLimits } from './input-limits.js';

/**
 * `doc.toJS()` within the limits: an alias bomb becomes INPUT_TOO_MANY_ALIASES (not yaml's
 * ReferenceError), a structure too deep to convert INPUT_TOO_DEEP (not a RangeError).
 */
export function yamlToJs(doc: Document, field: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): unknown {
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.aliases });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new InputLimitError('INPUT_TOO_MANY_ALIASES', field, `the YAML expands aliases (*name) more than ${limits.aliases} times`, raiseHint('aliases', limits.aliases));
    }
    if (error instanceof RangeError) {
      throw new InputLimitError('INPUT_TOO_DEEP', field, `lists and mappings are nested more than ${limits.depth} levels deep`, raiseHint('depth', limits.depth));
    }
    throw error;
  }
  checkDepth(data, field, limits);
  return data;
}

/** yaml reports a stack overflow in its parser as a syntax error; this spots it. */
export function isStackOverflowMessage(message: string): boolean {
  return /maximum call stack/i.test(message);
}
