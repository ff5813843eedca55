import { createHash } from 'node:crypto';
import type { ApiGraph } from '../../comfy/graph.js';
import { isLink } from '../../comfy/graph.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import { trampoline, type Nested } from '../../platform/trampoline.js';

/** What a cached node keeps: its output values and (output nodes) the UI dict with meta. */
export interface CacheEntry {
  outputs: unknown[];
  ui?: { output: Record<string, unknown>; meta: Record<string, unknown> };
}

/**
 * `IS_CHANGED` stand-in: returns a fingerprint that joins the key, or `NaN`-like `null` when
 * the node must never be cached (ComfyUI: IS_CHANGED raising or returning NaN).
 */
export type ChangeFingerprint = (nodeId: string, classType: string, inputs: Record<string, unknown>) => string | null | undefined;

/**
 * ComfyUI's classic cache: a node's key is its class, its IS_CHANGED result, its literal
 * inputs (sorted by name) and, recursively, its ancestors' keys: node ids play no part, so a
 * renumbered graph still hits. At each job start entries whose keys are absent from the new
 * prompt are dropped.
 */
export class ClassicCache {
  private readonly store = new Map<string, CacheEntry>();
  private keys = new Map<string, string | null>();

  /** `set_prompt` + `clean_unused`. */
  setPrompt(prompt: ApiGraph, objectInfo: ObjectInfo, fingerprint: ChangeFingerprint): void {
    const keys = new Map<string, string | null>();
    const visiting = new Set<string>();
    // Each key needs its ancestors' keys first: computed on an explicit stack (a 3000-node chain is fine).
    const keyOf = (nodeId: string): Nested<string, string | null> => {
      if (keys.has(nodeId)) return { value: keys.get(nodeId) ?? null };
      const node = prompt[nodeId];
      if (!node || visiting.has(nodeId)) return { value: null };
      return (function* (): Generator<string, string | null, string | null> {
        visiting.add(nodeId);
        const def = objectInfo[node.class_type];
        const changed = fingerprint(nodeId, node.class_type, node.inputs ?? {});
        const hidden = Object.values(def?.input.hidden ?? {}).map((v) => (Array.isArray(v) ? v[0] : v));
        const parts: unknown[] = [node.class_type, changed ?? ''];
        // UNIQUE_ID makes the node id part of the key (ComfyUI also does this for NOT_IDEMPOTENT).
        if (hidden.includes('UNIQUE_ID')) parts.push(['id', nodeId]);
        let uncachable = changed === null;
        for (const name of Object.keys(node.inputs ?? {}).sort()) {
          const value = node.inputs[name];
          if (isLink(value)) {
            const upstream = yield value[0];
            if (upstream === null) uncachable = true;
            parts.push([name, 'LINK', upstream, value[1]]);
          } else parts.push([name, value]);
        }
        visiting.delete(nodeId);
        const key = uncachable ? null : createHash('sha256').update(JSON.stringify(parts)).digest('hex');
        keys.set(nodeId, key);
        return key;
      })();
    };
    for (const nodeId of Object.keys(prompt)) trampoline(nodeId, keyOf);
    this.keys = keys;
    const live = new Set([...keys.values()].filter((k): k is string => k !== null));
    for (const key of [...this.store.keys()]) if (!live.has(key)) this.store.delete(key);
  }

  get(nodeId: string): CacheEntry | undefined {
    const key = this.keys.get(nodeId);
    return key ? this.store.get(key) : undefined;
  }

  set(nodeId: string, entry: CacheEntry): void {
    const key = this.keys.get(nodeId);
    if (key) this.store.set(key, entry);
  }

  /** Node ids the cache knows keys for (ComfyUI's `all_node_ids`, reported as `current_outputs`). */
  nodeIds(): string[] {
    return [...this.keys.keys()];
  }

  /** `POST /free {free_memory: true}` → `executor.reset()`. */
  reset(): void {
    this.store.clear();
    this.keys.clear();
  }
}
