import type * as z from 'zod';
import type { FieldPath } from './field-path.js';

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

/** The schemas a value at `path` may match (several below a union). */
function schemasAt(root: z.ZodType, path: FieldPath, expandLast = true): z.ZodType[] {
  let current = [unwrap(root)];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const schema of current.flatMap(expandUnion)) {
      const def = defOf(schema);
      const child =
        def.type === 'object' && def.shape ? def.shape[String(segment)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
      if (child) next.push(unwrap(child));
    }
    current = next;
  }
  return expandLast ? current.flatMap(expandUnion) : current;
}

function expandUnion(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  return def.type === 'union' && def.options ? def.options.map(unwrap).flatMap(expandUnion) : [schema];
}

/** The keys an object at `path` accepts (for "did you mean" hints on unknown keys). */
export function keysAt(root: z.ZodType, path: FieldPath): string[] {
  const keys = schemasAt(root, path).flatMap((schema) => {
    const def = defOf(schema);
    return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
  });
  return [...new Set(keys)];
}

/** The `.describe()` text of the field at `path`, if any. */
export function descriptionAt(root: z.ZodType, path: FieldPath): string | undefined {
  return schemasAt(root, path, false)[0]?.description;
}
