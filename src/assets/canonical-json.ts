import { TaskHashInputError } from './errors/task-hash-input-error.js';

/**
 * One byte string per JSON value, whatever the key order or the process that builds it:
 * object keys sorted by code unit, `undefined` object members dropped (array holes become
 * `null`, as JSON does), `-0` written as `0`, and numbers in ECMAScript's shortest round-trip
 * form (so `1.0` and `1` are the same). Values with no JSON meaning (NaN, Infinity, bigint,
 * functions, class instances such as Map or Date) throw instead of being silently coerced.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TaskHashInputError(path, `is ${value}, which JSON cannot represent`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TaskHashInputError(path, `is a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      items.push(item === undefined ? 'null' : encode(item, `${path}[${i}]`));
    }
    return `[${items.join(',')}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new TaskHashInputError(path, `is a ${name}; convert it to plain JSON first`);
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${encode(member, path ? `${path}.${key}` : key)}`);
  }
  return `{${members.join(',')}}`;
}
