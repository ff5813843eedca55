import { estimateKeyOf } from '../../catalog/preflight/vram-check.js';
import type { AnyTemplate, Precision } from '../../catalog/templates/template.js';

/** Parameters that need less VRAM than a job's own, and the name they are recorded under. */
export interface LowerMemoryOption {
  /** A `low-memory` variant id, or the precision name (`fp8`) of the template's default precision. */
  id: string;
  params: Record<string, unknown>;
  needGb: number;
}

/** Peak VRAM (GB) the template estimates for these parameters, at the precision they choose. */
export function vramNeedGb(template: AnyTemplate, params: Record<string, unknown>): number {
  const needs = template.estimate(params).vramGb as Partial<Record<Precision, number>>;
  const parsed = template.parse(params) as Record<string, unknown>;
  const key = typeof parsed.precision === 'string' ? estimateKeyOf(parsed.precision) : undefined;
  const own = key !== undefined ? needs[key] : undefined;
  if (own !== undefined) return own;
  const values = Object.values(needs).filter((v): v is number => typeof v === 'number');
  return values.length === 0 ? 0 : Math.max(...values);
}

/**
 * What an out-of-memory job can run as instead: the template's first `low-memory` variant that
 * needs less VRAM, else (when the job asked for a heavier precision than the template's
 * default, e.g. the fp16 experts of Wan 2.2) the default precision. Undefined when neither
 * helps: then only a bigger card can run the job.
 *
 * @example lowerMemoryOption(templateById('wan22-i2v-14b'), { precision: 'fp16' }) // { id: 'fp8', params: { precision: 'fp8_scaled' }, needGb: 19.3 }
 */
export function lowerMemoryOption(template: AnyTemplate, params: Record<string, unknown>): LowerMemoryOption | undefined {
  const need = vramNeedGb(template, params);
  for (const variant of template.variants.filter((v) => v.kind === 'low-memory')) {
    const merged = { ...params, ...variant.params };
    const needGb = vramNeedGb(template, merged);
    if (needGb < need) return { id: variant.id, params: merged, needGb };
  }
  const parsed = template.parse(params) as Record<string, unknown>;
  let defaults: Record<string, unknown>;
  try {
    defaults = template.parse({}) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof parsed.precision === 'string' && typeof defaults.precision === 'string' && parsed.precision !== defaults.precision) {
    const merged = { ...params, precision: defaults.precision };
    const needGb = vramNeedGb(template, merged);
    if (needGb < need) return { id: estimateKeyOf(defaults.precision) ?? defaults.precision, params: merged, needGb };
  }
  return undefined;
}
