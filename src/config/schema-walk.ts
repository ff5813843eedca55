import type * as z from 'zod';

interface DefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): DefLike {
  return (schema as unknown as { _zod: { def: DefLike } })._zod.def;
}

/** Strips default/optional/transform wrappers down to the schema that validates the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The schema at a key path (`['queue', 'backend']`), or undefined when the path is unknown. */
export function schemaAt(root: z.ZodType, path: ReadonlyArray<string | number>): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(root);
  for (const segment of path) {
    if (!current) return undefined;
    const def = defOf(current);
    if (def.type === 'object' && def.shape) current = def.shape[String(segment)];
    else if (def.type === 'array' && def.element) current = def.element;
    else if (def.type === 'record' && def.valueType) current = def.valueType;
    else return undefined;
    if (current) current = unwrap(current);
  }
  return current;
}

/** Whether the value at `path` is text (a string or enum), so "8080" must stay a string there. */
export function expectsText(root: z.ZodType, path: ReadonlyArray<string | number>): boolean {
  const schema = schemaAt(root, path);
  if (!schema) return false;
  const type = defOf(schema).type;
  return type === 'string' || type === 'enum' || type === 'template_literal';
}

/** The keys an object schema accepts at `path` (for "did you mean" hints). */
export function keysAt(root: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  const schema = schemaAt(root, path);
  const def = schema ? defOf(schema) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
