import { NoVariantFitsError } from './errors/no-variant-fits-error.js';
import { GB, PRECISION_RANK, type CatalogModel, type ModelVariant, type Precision } from './model.js';

export interface PrecisionRequest {
  /** VRAM of the worker's GPU, in bytes. */
  vramBytes: number;
  /** File names the worker has; when given, only these variants are candidates. */
  filesPresent?: string[];
  /** Preferred precision, taken when it fits (and is present). */
  prefer?: Precision;
}

export interface PrecisionChoice {
  variant: ModelVariant;
  reason: string;
}

/** How a precision counts for memory: every fp8 and GGUF flavour is `fp8` (1 byte or less per weight). */
export type PrecisionClass = 'fp32' | 'fp16' | 'bf16' | 'fp8';

export function precisionClass(precision: Precision): PrecisionClass {
  if (precision === 'fp32' || precision === 'fp16' || precision === 'bf16') return precision;
  return 'fp8';
}

/** Bytes per weight of a precision class (GGUF counted as fp8: an upper bound). */
export const BYTES_PER_WEIGHT: Record<PrecisionClass, number> = { fp32: 4, fp16: 2, bf16: 2, fp8: 1 };

const fmt = (bytes: number): string => `${Number((bytes / GB).toFixed(1))} GB`;

/**
 * Best-quality variant that fits the VRAM (and is on the worker when a list is given). The reason
 * names what was given up and why, e.g. "fp8_scaled: fp16 needs 33.6 GB, worker has 24 GB".
 */
export function choosePrecision(model: CatalogModel, request: PrecisionRequest): PrecisionChoice {
  const present = request.filesPresent ? new Set(request.filesPresent) : undefined;
  const ranked = [...model.variants].sort((a, b) => PRECISION_RANK[b.precision] - PRECISION_RANK[a.precision] || a.vramBytes - b.vramBytes);
  const candidates = present ? ranked.filter((v) => present.has(v.file)) : ranked;
  const fits = candidates.filter((v) => v.vramBytes <= request.vramBytes);
  const worker = fmt(request.vramBytes);

  if (fits.length === 0) {
    if (present && candidates.length === 0) {
      throw new NoVariantFitsError(model.id, request.vramBytes, `no file of ${model.id} is on the worker`,
        `download one of: ${ranked.map((v) => `${v.folder}/${v.file}`).join(', ')}`);
    }
    const smallest = [...candidates].sort((a, b) => a.vramBytes - b.vramBytes)[0]!;
    throw new NoVariantFitsError(model.id, request.vramBytes,
      `${model.id} does not fit: the smallest ${present ? 'present ' : ''}variant (${smallest.precision}) needs ${fmt(smallest.vramBytes)}, worker has ${worker}`,
      present && candidates.length < ranked.length ? 'download a smaller variant or use a worker with more VRAM' : 'use a worker with more VRAM or a smaller model');
  }

  const preferred = request.prefer ? fits.find((v) => v.precision === request.prefer) : undefined;
  if (preferred) return { variant: preferred, reason: `${preferred.precision}: preferred, needs ${fmt(preferred.vramBytes)} of ${worker}` };

  const best = fits[0]!;
  const better = ranked.find((v) => PRECISION_RANK[v.precision] > PRECISION_RANK[best.precision]);
  if (!better) return { variant: best, reason: `${best.precision}: best precision, needs ${fmt(best.vramBytes)} of ${worker}` };
  if (better.vramBytes > request.vramBytes) {
    return { variant: best, reason: `${best.precision}: ${better.precision} needs ${fmt(better.vramBytes)}, worker has ${worker}` };
  }
  return { variant: best, reason: `${best.precision}: ${better.precision} fits but ${better.file} is not on the worker` };
}
