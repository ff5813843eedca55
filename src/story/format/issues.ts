import type * as z from 'zod';
import { closestMatch, orList } from '../../platform/did-you-mean.js';
import { descriptionAt, keysAt } from '../../platform/zod/schema-walk.js';
import type { StoryIssue } from './errors/story-format-error.js';
import { formatFieldPath, valueAt, type FieldPath } from './field-path.js';
import type { Position } from './yaml-positions.js';

/** Finds where a path is in the source document (undefined for data that has no source). */
export type Locate = (path: FieldPath, part: 'key' | 'value') => Position | undefined;

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod's issues into story issues that name the field, the bad value, where it is and the
 * fix. `data` is the document as parsed (zod issues do not carry the input by default).
 */
export function storyIssuesFrom(issues: readonly ZodIssue[], data: unknown, schema: z.ZodType, locate: Locate): StoryIssue[] {
  const context = { data, schema, locate };
  return issues.flatMap((issue) => fromIssue(issue, [], context));
}

interface Context {
  data: unknown;
  schema: z.ZodType;
  locate: Locate;
  /** Set below a union: what the union accepts, for hints. */
  accepted?: string;
}

function fromIssue(issue: ZodIssue, base: FieldPath, context: Context): StoryIssue[] {
  const path = [...base, ...(issue.path as Array<string | number>)];
  const input = valueAt(context.data, path);
  const at = (p: FieldPath, part: 'key' | 'value' = 'value') => {
    const position = context.locate(p, part);
    return position ? { line: position.line, column: position.column } : {};
  };
  const make = (message: string, hint: string, part: 'key' | 'value' = 'value', where: FieldPath = path): StoryIssue => ({
    ...at(where, part),
    path: formatFieldPath(where),
    message,
    hint,
  });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(context.schema, path);
      return issue.keys.map((key) => {
        const guess = closestMatch(key, allowed);
        return make(
          `unknown key '${key}'`,
          guess ? `did you mean '${guess}'?` : `remove it (allowed here: ${allowed.join(', ')})`,
          'key',
          [...path, key],
        );
      });
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      if (values.length === 1) return [make(`${show(input)} must be ${show(issue.values[0])}`, `set it to ${show(issue.values[0])}`)];
      const guess = typeof input === 'string' ? closestMatch(input, values) : undefined;
      const fallback = context.accepted ? `use ${context.accepted}` : `use ${orList(values)}`;
      return [make(`${show(input)} is not one of ${values.join(', ')}`, guess ? `did you mean '${guess}'?` : fallback)];
    }
    case 'invalid_union':
      return fromUnion(issue, path, input, context, make);
    case 'invalid_type': {
      const field = path[path.length - 1];
      if (input === undefined) {
        const key = typeof field === 'string' ? field : 'the item';
        return [make(`missing required field '${key}'`, `add ${key}: ${example(issue.expected)}`, 'key')];
      }
      // A number here is .nan or .inf (zod's number type refuses both): show only the value.
      const got = typeof input === 'number' ? show(input) : `${describeType(input)} ${show(input)}`;
      return [make(`expected ${article(issue.expected)}, got ${got}`, `write ${article(issue.expected)} here, e.g. ${example(issue.expected)}`)];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
      if (issue.origin === 'array') {
        return [make(small ? `needs at least ${bound} item${Number(bound) === 1 ? '' : 's'}` : `has more than ${bound} items`, small ? 'add an item' : 'remove items')];
      }
      if (issue.origin === 'string') return [make(small ? 'must not be empty' : `is longer than ${bound} characters`, small ? 'write some text or remove the key' : 'shorten it')];
      // `.positive()` is an exclusive bound: "below the minimum 0" would call 0 too small for 0.
      if ((issue as { inclusive?: boolean }).inclusive === false) {
        return [make(`${show(input)} is too ${small ? 'small' : 'large'}: it must be ${small ? 'more' : 'less'} than ${bound}`, `use a value ${small ? 'above' : 'below'} ${bound}`)];
      }
      return [make(`${show(input)} is ${small ? 'below the minimum' : 'above the maximum'} ${bound}`, `use a value ${small ? 'of at least' : 'of at most'} ${bound}`)];
    }
    case 'not_multiple_of':
      return [make(`${show(input)} is not a multiple of ${issue.divisor}`, `round it to a multiple of ${issue.divisor}`)];
    case 'invalid_format':
      return [make(`${show(input)} is not valid: ${issue.message}`, 'rename it in that form')];
    case 'custom': {
      const hint = (issue.params as { hint?: string } | undefined)?.hint ?? 'fix this value';
      return [make(issue.message, hint)];
    }
    default:
      return [make(issue.message, 'fix this value')];
  }
}

/** Reports the branch of a union the user evidently meant (a string for `cut`, a mapping for a crossfade). */
function fromUnion(
  issue: ZodIssue & { code: 'invalid_union' },
  path: FieldPath,
  input: unknown,
  context: Context,
  make: (message: string, hint: string) => StoryIssue,
): StoryIssue[] {
  const accepted = descriptionAt(context.schema, path)?.replace(/^.*?: /, '');
  const branches = (issue as { errors?: ZodIssue[][] }).errors ?? [];
  const meant = branches.find(
    (branch) => !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || (i.code === 'invalid_value' && typeof input !== 'string'))),
  );
  if (meant) return meant.flatMap((sub) => fromIssue(sub, path, { ...context, ...(accepted ? { accepted } : {}) }));
  return [make(`${describeType(input)} ${show(input)} is not accepted here`, accepted ? `use ${accepted}` : 'see docs/story-format.md')];
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' && Number.isNaN(value)) return '.nan (not a number)';
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? '.inf (infinity)' : '-.inf (minus infinity)';
  // YAML reads a 23-digit seed as 1.2345678901234568e+22: say what the user wrote, not that.
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return `a ${Math.floor(Math.log10(Math.abs(value))) + 1}-digit number`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function example(expected: string): string {
  switch (expected) {
    case 'string':
      return '<text>';
    case 'number':
      return '3';
    case 'boolean':
      return 'true';
    case 'array':
      return '[ ... ] (a list)';
    case 'object':
      return '(a mapping of fields)';
    default:
      return `<${expected}>`;
  }
}
