import type * as z from 'zod';

/**
 * Reads a zod schema by key path (config keys, story fields): which keys an object accepts,
 * whether a value must stay text, a field's `.describe()` text. Used for hints and coercion.
 */

/** A path of object keys and list indexes: `['queue', 'backend']`, `['scenes', 0, 'shots']`. */
export type SchemaPath = ReadonlyArray<string | number>;

export interface WalkOptions {
  /** Look into every option of a union (default); `false` stops the walk at a union. */
  throughUnions?: boolean;
}

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

/** Strips default/optional/pipe wrappers down to the schema that validates the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

function expandUnion(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  return def.type === 'union' && def.options ? def.options.map(unwrap).flatMap(expandUnion) : [schema];
}

/** The schemas a value at `path` may match (several below a union). */
function schemasAt(root: z.ZodType, path: SchemaPath, options: WalkOptions, expandLast = true): z.ZodType[] {
  const expand = options.throughUnions === false ? (schema: z.ZodType) => [schema] : expandUnion;
  let current = [unwrap(root)];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const schema of current.flatMap(expand)) {
      const def = defOf(schema);
      const child =
        def.type === 'object' && def.shape ? def.shape[String(segment)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
      if (child) next.push(unwrap(child));
    }
    current = next;
  }
  return expandLast ? current.flatMap(expand) : current;
}

/** The keys an object at `path` accepts (for "did you mean" hints on unknown keys). */
export function keysAt(root: z.ZodType, path: SchemaPath, options: WalkOptions = {}): string[] {
  const keys = schemasAt(root, path, options).flatMap((schema) => {
    const def = defOf(schema);
    return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
  });
  return [...new Set(keys)];
}

/** Whether the value at `path` is text (a string or enum), so "8080" must stay a string there. */
export function expectsText(root: z.ZodType, path: SchemaPath, options: WalkOptions = {}): boolean {
  return schemasAt(root, path, options).some((schema) => {
    const type = defOf(schema).type;
    return type === 'string' || type === 'enum' || type === 'template_literal';
  });
}

/** The `.describe()` text of the field at `path`, if any. */
export function descriptionAt(root: z.ZodType, path: SchemaPath, options: WalkOptions = {}): string | undefined {
  return schemasAt(root, path, options, false)[0]?.description;
}
