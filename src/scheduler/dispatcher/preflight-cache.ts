import { createHash } from 'node:crypto';
import { preflight } from '../../catalog/preflight/preflight.js';
import type { PreflightReport, WorkerInventory } from '../../catalog/preflight/types.js';
import type { AnyTemplate } from '../../catalog/templates/template.js';
import type { ApiGraph } from '../../comfy/graph.js';

/** Inputs whose value never decides whether a graph validates (any string, any integer seed). */
const FREE_INPUTS = new Set(['text', 'seed', 'noise_seed', 'filename_prefix', 'prompt', 'negative_prompt']);

/**
 * Preflight results per worker inventory and graph shape. Full preflight validates against the
 * worker's whole object_info (tens to hundreds of ms), which would keep a GPU waiting between
 * short prompts; graphs that differ only in prompt text and seeds validate alike, so a passing
 * report is reused until the worker's inventory is refreshed. Failing reports are not cached.
 */
export class PreflightCache {
  private readonly passed = new Map<string, PreflightReport>();

  check(graph: ApiGraph, inventory: WorkerInventory & { refreshedAt?: number }, template: AnyTemplate, params: Record<string, unknown>): PreflightReport {
    const key = this.key(graph, inventory);
    const hit = this.passed.get(key);
    if (hit) return hit;
    const report = preflight(graph, inventory, { template, params });
    if (report.ok) {
      if (this.passed.size > 1000) this.passed.clear();
      this.passed.set(key, report);
    }
    return report;
  }

  private key(graph: ApiGraph, inventory: WorkerInventory & { refreshedAt?: number }): string {
    const shape = Object.entries(graph)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, node]) => [id, node.class_type, Object.entries(node.inputs ?? {}).filter(([name]) => !FREE_INPUTS.has(name)).sort(([a], [b]) => a.localeCompare(b))]);
    return createHash('sha256').update(JSON.stringify([inventory.name, inventory.refreshedAt ?? 0, shape])).digest('hex');
  }
}
