/** What a parsed JSON value is, in words for a message: `null`, `a list`, `a string 'x'`-free kinds. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return `the value ${String(value)}`;
  return `a ${typeof value}`;
}
