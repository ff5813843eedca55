import fc from 'fast-check';

/** Values that tend to break parsers and validators: wrong types, edge numbers, YAML specials. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, -1, 0, 1e308, -0, 2 ** 53, 1.5, '', ' ', '~', 'null', '0x10', '*alias', '&a', '{', '[', "'", '"', '\u0000', '../../etc/passwd', '/etc/passwd', '%'),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.array(fc.constant('x'), { maxLength: 5 }),
);

type Path = Array<string | number>;

function paths(value: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(prefix);
  if (depth > 6 || typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) paths(child, [...prefix, Array.isArray(value) ? Number(key) : key], out, depth + 1);
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function apply(doc: unknown, path: Path, op: 'set' | 'delete' | 'duplicate', value: unknown): unknown {
  if (path.length === 0) return op === 'set' ? value : doc;
  const root = clone(doc) as Record<string | number, unknown>;
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (op === 'set') node[last] = value;
  else if (op === 'delete') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else if (Array.isArray(node)) node.push(clone(node[Number(last)]));
  else node[`${String(last)}x`] = clone(node[last]);
  return root;
}

/** A document with 1–4 random edits: a field set to a nasty value, deleted, or duplicated. */
export function mutatedDocument(base: unknown): fc.Arbitrary<unknown> {
  const all = paths(base);
  const edit = fc.tuple(fc.constantFrom(...all), fc.constantFrom('set', 'set', 'delete', 'duplicate') as fc.Arbitrary<'set' | 'delete' | 'duplicate'>, nastyValue);
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let doc = base;
    for (const [path, op, value] of edits) {
      try {
        doc = apply(doc, path, op, value);
      } catch {
        // An earlier edit removed the path: skip this one.
      }
    }
    return doc;
  });
}

/** Text with 1–6 random edits: characters inserted, deleted or replaced, lines duplicated. */
export function mutatedText(base: string): fc.Arbitrary<string> {
  const insert = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(':', '- ', '  ', '\n', '\t', '&a ', '*a', '!!binary ', '{', '}', '[', ']', '#', '"', "'", '---\n', '? ', '|', '>', '%YAML 1.1\n', '<<: *a\n'));
  const edit = fc.tuple(fc.nat({ max: base.length }), fc.nat({ max: 20 }), insert);
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let text = base;
    for (const [at, remove, add] of edits) {
      const i = Math.min(at, text.length);
      text = text.slice(0, i) + add + text.slice(i + remove);
    }
    return text;
  });
}
