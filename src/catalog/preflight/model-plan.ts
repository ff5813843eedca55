import { choosePrecision, GB, modelByFile, NoVariantFitsError, type CatalogModel, type ModelVariant } from '../models/index.js';
import { modelFilesOf } from '../templates/requirements.js';
import type { AnyTemplate } from '../templates/template.js';
import { formatBytes } from './bytes.js';
import { downloadOf } from './model-check.js';
import { templateParams } from './template-settings.js';
import type { ModelToInstall } from './types.js';
import { estimateFor } from './vram-check.js';

export interface ModelChoice {
  modelId: string;
  name: string;
  role: string;
  precision: string;
  folder: string;
  file: string;
  sizeBytes: number;
  vramBytes: number;
  fits: boolean;
  reason: string;
}

export interface ModelPlan {
  template: string;
  vramBytes?: number;
  /** The parameters the plan is for (with the chosen `precision`). */
  params: Record<string, unknown>;
  /** `precision=fp8_scaled` when the plan chose a value the user did not set. */
  setting?: string;
  models: ModelChoice[];
  /** Every file the graph loads, with size and URL (catalogue files) — what a bare worker downloads. */
  downloads: ModelToInstall[];
  totalBytes: number;
  totalEstimated: boolean;
  estimate?: { key: string; gb: number };
  /** Undefined when no VRAM was given. */
  fits?: boolean;
}

const fmt = (bytes: number): string => formatBytes(bytes);

function choose(model: CatalogModel, candidates: ModelVariant[], vramBytes: number | undefined, fallback: ModelVariant): { variant: ModelVariant; fits: boolean; reason: string } {
  if (vramBytes === undefined) {
    return { variant: fallback, fits: true, reason: `${fallback.precision}: the template's default${candidates.length > 1 ? ' (give a VRAM size to choose by memory)' : ''}` };
  }
  if (candidates.length === 1) {
    const only = candidates[0]!;
    const fits = only.vramBytes <= vramBytes;
    return {
      variant: only,
      fits,
      reason: fits
        ? `${only.precision}: the only precision the template loads, needs ${fmt(only.vramBytes)} of ${fmt(vramBytes)}`
        : `${only.precision}: needs ${fmt(only.vramBytes)}, worker has ${fmt(vramBytes)}; the template loads no smaller variant`,
    };
  }
  try {
    const choice = choosePrecision({ ...model, variants: candidates }, { vramBytes });
    return { variant: choice.variant, fits: true, reason: choice.reason };
  } catch (err) {
    if (!(err instanceof NoVariantFitsError)) throw err;
    const smallest = [...candidates].sort((a, b) => a.vramBytes - b.vramBytes)[0]!;
    return { variant: smallest, fits: false, reason: err.message };
  }
}

/**
 * Plans the model downloads of a template for a GPU: per catalogue model, the best precision the
 * template can load that fits (choosePrecision, with its reason), the template `precision` value
 * that loads those files, and every file with size and URL.
 *
 * @example planTemplateModels(templateById('wan22-i2v-14b'), { vramBytes: 24 * GB }) // setting 'precision=fp8_scaled'
 */
export function planTemplateModels(template: AnyTemplate, options: { vramBytes?: number; params?: Record<string, unknown> } = {}): ModelPlan {
  const params = { ...(options.params ?? {}) };
  const precisionParam = templateParams(template).find((p) => p.name === 'precision' && Array.isArray(p.enum));
  const defaultPrecision = (template.parse(params) as Record<string, unknown>).precision;
  const choices: unknown[] = precisionParam && !('precision' in params) ? [defaultPrecision, ...precisionParam.enum!.filter((v) => v !== defaultPrecision)] : [undefined];
  const graphs = choices.map((value) => ({ value, files: modelFilesOf(template.build(value === undefined ? params : { ...params, precision: value })) }));

  // Catalogue model → the variants the template can load, over every precision value.
  const candidates = new Map<string, { model: CatalogModel; variants: ModelVariant[] }>();
  for (const { files } of graphs) {
    for (const { file } of files) {
      const hit = modelByFile(file);
      if (!hit) continue;
      const entry = candidates.get(hit.model.id) ?? { model: hit.model, variants: [] };
      if (!entry.variants.some((v) => v.file === file)) entry.variants.push(hit.variant);
      candidates.set(hit.model.id, entry);
    }
  }
  const defaultFiles = new Set(graphs[0]!.files.map((f) => f.file));
  const chosen = new Map<string, ReturnType<typeof choose>>();
  for (const [id, { model, variants }] of candidates) {
    const fallback = variants.find((v) => defaultFiles.has(v.file)) ?? variants[0]!;
    chosen.set(id, choose(model, variants, options.vramBytes, fallback));
  }
  const wanted = new Set([...chosen.values()].map((c) => c.variant.file));
  const pick =
    graphs.find(({ files }) => files.every(({ file }) => !modelByFile(file) || wanted.has(file))) ??
    graphs.reduce((best, g) => (score(g.files, wanted) > score(best.files, wanted) ? g : best));
  const finalParams = pick.value === undefined ? params : { ...params, precision: pick.value };
  const graph = template.build(finalParams);
  const files = modelFilesOf(graph);

  const models: ModelChoice[] = [];
  for (const { file } of files) {
    const hit = modelByFile(file);
    if (!hit || models.some((m) => m.modelId === hit.model.id)) continue;
    const choice = chosen.get(hit.model.id)!;
    const variant = hit.variant;
    const reason = choice.variant.file === variant.file ? choice.reason : `${variant.precision}: the files of the other models decide the template's precision (${choice.reason})`;
    models.push({
      modelId: hit.model.id, name: hit.model.name, role: hit.model.role, precision: variant.precision, folder: variant.folder, file: variant.file,
      sizeBytes: variant.sizeBytes, vramBytes: variant.vramBytes, fits: options.vramBytes === undefined || variant.vramBytes <= options.vramBytes, reason,
    });
  }
  const downloads = files.map((f) => downloadOf(f.folder, f.file));
  const estimate = estimateFor(template, finalParams, graph);
  const vram = options.vramBytes;
  const fits = vram === undefined ? undefined : models.every((m) => m.fits) && (!estimate || estimate.gb * GB <= vram);
  return {
    template: template.id,
    ...(vram !== undefined ? { vramBytes: vram } : {}),
    params: finalParams,
    ...(pick.value !== undefined && pick.value !== defaultPrecision ? { setting: `precision=${String(pick.value)}` } : {}),
    models,
    downloads,
    totalBytes: downloads.reduce((sum, d) => sum + (d.sizeBytes ?? 0), 0),
    totalEstimated: downloads.some((d) => d.sizeEstimated || d.sizeBytes === undefined),
    ...(estimate ? { estimate } : {}),
    ...(fits !== undefined ? { fits } : {}),
  };
}

function score(files: { file: string }[], wanted: Set<string>): number {
  return files.filter((f) => wanted.has(f.file)).length;
}

/** The plan as terminal lines: per model the precision and why, the downloads, the total, the verdict. */
export function renderModelPlan(plan: ModelPlan): string[] {
  const lines = [`${plan.template}${plan.vramBytes !== undefined ? ` on ${fmt(plan.vramBytes)} of VRAM` : ''}${plan.setting ? ` → --set ${plan.setting}` : ''}`];
  lines.push('  models:');
  for (const m of plan.models) lines.push(`    ${m.modelId}  ${m.precision}  ${m.fits ? '' : '(does not fit) '}${m.reason}`);
  lines.push('  downloads:');
  for (const d of plan.downloads) {
    const size = d.sizeBytes !== undefined ? `${d.sizeEstimated ? '≈' : ''}${fmt(d.sizeBytes)}` : 'size unknown';
    lines.push(`    ${d.folder}/${d.file}  ${size}  ${d.url ?? '(not in the catalogue: download by hand)'}`);
  }
  lines.push(`  total: ${plan.totalEstimated ? '≈' : ''}${fmt(plan.totalBytes)} in ${plan.downloads.length} file${plan.downloads.length === 1 ? '' : 's'}`);
  if (plan.estimate) lines.push(`  estimated peak VRAM: ${plan.estimate.gb} GB at ${plan.estimate.key}`);
  if (plan.fits !== undefined) lines.push(`  ${plan.fits ? 'fits' : 'does not fit'} in ${fmt(plan.vramBytes!)}`);
  return lines;
}
