import { pathKey, type KeyPath, type ValueSource } from './sources.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The raw (unvalidated) values of all layers merged so far, with the source of every leaf.
 * Objects merge key by key; arrays and scalars replace what an earlier layer set, so
 * `workers` from the environment replaces the file's list rather than appending to it.
 */
export class LayeredValues {
  readonly value: Record<string, unknown> = {};
  private readonly sources = new Map<string, ValueSource>();

  apply(layer: Record<string, unknown>, sourceOf: (path: KeyPath) => ValueSource): void {
    this.mergeInto(this.value, layer, [], sourceOf);
  }

  /** The source of a path: exact, else the nearest ancestor or descendant set by a layer. */
  sourceOf(path: KeyPath): ValueSource {
    const key = pathKey(path);
    const exact = this.sources.get(key);
    if (exact) return exact;
    for (let n = path.length - 1; n > 0; n--) {
      const ancestor = this.sources.get(pathKey(path.slice(0, n)));
      if (ancestor) return ancestor;
    }
    for (const [candidate, source] of this.sources) if (key === '' || candidate.startsWith(`${key}.`)) return source;
    return { kind: 'default' };
  }

  /** True when some layer set this exact leaf (or a parent array/scalar containing it). */
  isExplicit(path: KeyPath): boolean {
    return this.sourceOf(path).kind !== 'default';
  }

  private mergeInto(
    target: Record<string, unknown>,
    layer: Record<string, unknown>,
    prefix: Array<string | number>,
    sourceOf: (path: KeyPath) => ValueSource,
  ): void {
    for (const [key, incoming] of Object.entries(layer)) {
      // YAML's `key:` with nothing after it is null: treated as "not set" rather than an error.
      if (incoming === undefined || incoming === null) continue;
      const path = [...prefix, key];
      if (isPlainObject(incoming) && Object.keys(incoming).length === 0) {
        if (!isPlainObject(target[key])) {
          this.forget(path);
          target[key] = {};
          this.record(incoming, path, sourceOf);
        }
      } else if (isPlainObject(incoming)) {
        if (!isPlainObject(target[key])) {
          this.forget(path);
          target[key] = {};
        }
        this.mergeInto(target[key] as Record<string, unknown>, incoming, path, sourceOf);
      } else {
        this.forget(path);
        target[key] = structuredClone(incoming);
        this.record(incoming, path, sourceOf);
      }
    }
  }

  private record(value: unknown, path: Array<string | number>, sourceOf: (path: KeyPath) => ValueSource): void {
    const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : isPlainObject(value) ? Object.entries(value) : [];
    if (children.length === 0) {
      this.sources.set(pathKey(path), sourceOf(path));
      return;
    }
    // The container itself is attributed too, so an error about the whole list finds its source.
    this.sources.set(pathKey(path), sourceOf(path));
    for (const [k, v] of children) this.record(v, [...path, k], sourceOf);
  }

  private forget(path: KeyPath): void {
    const key = pathKey(path);
    for (const candidate of [...this.sources.keys()]) {
      if (candidate === key || candidate.startsWith(`${key}.`)) this.sources.delete(candidate);
    }
  }
}

/** Every leaf of a validated config as `[path, value]`, arrays of scalars kept whole. */
export function leaves(value: unknown, prefix: Array<string | number> = []): Array<[Array<string | number>, unknown]> {
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return prefix.length > 0 ? [[prefix, value]] : [];
    return entries.flatMap(([k, v]) => leaves(v, [...prefix, k]));
  }
  if (Array.isArray(value) && value.some((item) => isPlainObject(item) || Array.isArray(item))) {
    return value.flatMap((item, index) => leaves(item, [...prefix, index]));
  }
  return [[prefix, value]];
}
