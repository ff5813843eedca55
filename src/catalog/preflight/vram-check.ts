import type { ApiGraph } from '../../comfy/graph.js';
import { choosePrecision, GB, modelByFile, NoVariantFitsError, type CatalogModel, type ModelVariant, type Precision as ModelPrecision } from '../models/index.js';
import { modelFilesOf } from '../templates/requirements.js';
import type { AnyTemplate, Precision as TemplatePrecision } from '../templates/template.js';
import { formatBytes } from './bytes.js';
import { settingThatLoads } from './template-settings.js';
import type { PreflightProblem, WorkerInventory } from './types.js';

const MAIN_ROLES = new Set(['diffusion_model', 'checkpoint']);

/** The template estimate key of a precision name, from a parameter (`fp8_scaled`, `fp8mixed`) or the catalogue. */
export function estimateKeyOf(precision: string): TemplatePrecision | undefined {
  if (precision.startsWith('fp8') || precision.startsWith('gguf')) return 'fp8';
  if (precision === 'fp16' || precision === 'bf16' || precision === 'fp32') return precision;
  return undefined;
}

/** The diffusion models (or checkpoints) a graph loads, with the variant it uses. */
export function mainModelsOf(graph: ApiGraph): { model: CatalogModel; variant: ModelVariant }[] {
  const out: { model: CatalogModel; variant: ModelVariant }[] = [];
  for (const { file } of modelFilesOf(graph)) {
    const hit = modelByFile(file);
    if (hit && MAIN_ROLES.has(hit.model.role) && !out.some((o) => o.model.id === hit.model.id)) out.push(hit);
  }
  return out;
}

/**
 * Which of the template's VRAM estimates applies to this graph: the `precision` parameter when
 * the template has one, else the precision of the diffusion model it loads.
 */
export function estimateFor(template: AnyTemplate, params: Record<string, unknown>, graph: ApiGraph): { key: string; gb: number } | undefined {
  const estimates = template.estimate(params).vramGb as Partial<Record<TemplatePrecision, number>>;
  const parsed = template.parse(params) as Record<string, unknown>;
  const keys = Object.keys(estimates) as TemplatePrecision[];
  const fromParam = typeof parsed.precision === 'string' ? estimateKeyOf(parsed.precision) : undefined;
  const fromModel = mainModelsOf(graph).map((m) => estimateKeyOf(m.variant.precision as ModelPrecision)).find((k) => k && k in estimates);
  const key = [fromParam, fromModel].find((k): k is TemplatePrecision => k !== undefined && k in estimates) ?? (keys.length === 1 ? keys[0] : undefined);
  if (key === undefined) {
    if (keys.length === 0) return undefined;
    const worst = keys.reduce((a, b) => ((estimates[a] ?? 0) >= (estimates[b] ?? 0) ? a : b));
    return { key: worst, gb: estimates[worst]! };
  }
  return { key, gb: estimates[key]! };
}

/** What choosePrecision says about one model on this worker, and the setting that applies it. */
function precisionAdvice(entry: { model: CatalogModel; variant: ModelVariant }, vramBytes: number, template?: AnyTemplate, params: Record<string, unknown> = {}): string {
  try {
    const choice = choosePrecision(entry.model, { vramBytes });
    if (choice.variant.file === entry.variant.file) return `${entry.model.id}: ${choice.reason}`;
    const setting = template ? settingThatLoads(template, params, choice.variant.file, entry.variant.file) : undefined;
    return setting ? `use --set ${setting} (${choice.reason})` : `load ${choice.variant.file} instead of ${entry.variant.file} (${choice.reason})`;
  } catch (err) {
    if (err instanceof NoVariantFitsError) return `${err.message}; ${err.hint ?? 'use a worker with more VRAM'}`;
    throw err;
  }
}

/**
 * A `vram` problem when the run needs more memory than the worker's GPU has: the template's
 * estimate for the precision in use, or (for a graph without a template) the catalogue's
 * figure for each diffusion model it loads. The fix carries choosePrecision's reason.
 */
export function checkVram(graph: ApiGraph, inventory: WorkerInventory, template?: AnyTemplate, params: Record<string, unknown> = {}): PreflightProblem[] {
  const vram = inventory.vramBytes;
  if (vram === undefined || vram <= 0) return [];
  const memory = inventory.deviceType === 'cpu' ? 'memory' : 'VRAM';
  const device = inventory.deviceType === 'cpu' ? 'CPU' : inventory.gpuName;
  const worker = `the worker${device ? ` (${device})` : ''} has ${formatBytes(vram)}${inventory.deviceType === 'cpu' ? ' of RAM' : ''}`;
  const mains = mainModelsOf(graph);

  if (template) {
    const estimate = estimateFor(template, params, graph);
    if (!estimate || estimate.gb * GB <= vram) return [];
    const advice = mains.map((m) => precisionAdvice(m, vram, template, params));
    const lowMemory = template.variants.filter((v) => v.kind === 'low-memory').map((v) => `--variant ${v.id}`);
    const fixes = [...advice, ...(lowMemory.length ? [`try ${lowMemory.join(' or ')}`] : []), 'or lower width/height/length, or use a worker with more VRAM'];
    return [{
      kind: 'vram',
      neededBytes: Math.round(estimate.gb * GB),
      availableBytes: vram,
      message: `${template.id} needs about ${estimate.gb} GB of ${memory} at ${estimate.key}; ${worker}`,
      fix: fixes.join('; '),
    }];
  }

  const problems: PreflightProblem[] = [];
  for (const entry of mains) {
    if (entry.variant.vramBytes <= vram) continue;
    problems.push({
      kind: 'vram',
      file: entry.variant.file,
      neededBytes: entry.variant.vramBytes,
      availableBytes: vram,
      message: `${entry.variant.file} needs about ${formatBytes(entry.variant.vramBytes)} of ${memory}; ${worker}`,
      fix: precisionAdvice(entry, vram),
    });
  }
  return problems;
}
