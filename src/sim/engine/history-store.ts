import { PY_LITERALS } from '../../comfy/py-literals.js';

/**
 * ComfyUI's history: an insertion-ordered map (re-using an id keeps its first position),
 * capped like `MAXIMUM_HISTORY_SIZE`, paged exactly as `PromptQueue.get_history` pages it.
 */
export const MAXIMUM_HISTORY_SIZE = 10000;

export interface HistoryEntry {
  prompt: unknown[];
  outputs: Record<string, unknown>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: Array<[string, Record<string, unknown>]> } | null;
  meta: Record<string, unknown>;
}

/** A deep copy that keeps class instances (PyFloat) as they are; structuredClone would make them plain objects. */
function cloneKeepingFloats<T>(value: T): T {
  if (Array.isArray(value)) return withLiterals(value, value.map(cloneKeepingFloats)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return withLiterals(value, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneKeepingFloats(v)]))) as T;
  }
  return value;
}

/** Carries the number literals a request was parsed with (py-literals) over to the copy. */
function withLiterals(from: object, to: object): object {
  const literals = (from as { [PY_LITERALS]?: Record<string, string> })[PY_LITERALS];
  if (literals) Object.defineProperty(to, PY_LITERALS, { value: { ...literals }, enumerable: false, writable: true, configurable: true });
  return to;
}

export class HistoryStore {
  private readonly entries = new Map<string, HistoryEntry>();

  add(promptId: string, entry: HistoryEntry): void {
    if (this.entries.size > MAXIMUM_HISTORY_SIZE) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(promptId, entry);
  }

  get(promptId: string): Record<string, HistoryEntry> {
    const entry = this.entries.get(promptId);
    return entry ? { [promptId]: cloneKeepingFloats(entry) } : {};
  }

  /** Every entry in insertion order, uncopied (read-only use). */
  all(): Array<[string, HistoryEntry]> {
    return [...this.entries];
  }

  has(promptId: string): boolean {
    return this.entries.has(promptId);
  }

  /** `offset` -1 means "not given" (Python's default), as in ComfyUI. */
  page(maxItems: number | null, offset: number): Record<string, HistoryEntry> {
    const out: Record<string, HistoryEntry> = {};
    let start = offset;
    if (start < 0 && maxItems !== null) start = this.entries.size - maxItems;
    let i = 0;
    let count = 0;
    for (const [id, entry] of this.entries) {
      if (i >= start) {
        out[id] = entry;
        count++;
        if (maxItems !== null && count >= maxItems) break;
      }
      i++;
    }
    return out;
  }

  delete(promptId: string): void {
    this.entries.delete(promptId);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
