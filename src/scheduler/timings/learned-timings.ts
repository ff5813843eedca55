import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { TimingsFileError } from './errors/timings-file-error.js';
import { ensureDirSync } from '../../platform/ensure-dir.js';

/** What a run is keyed by: the template, the worker that ran it and its size bucket. */
export interface TimingKey {
  templateId: string;
  worker: string;
  bucket: string;
}

/** Where an expected duration came from, so `explain` can say how much to trust it. */
export type TimingSource = 'learned' | 'scaled' | 'catalog';

export interface ExpectedDuration {
  ms: number;
  source: TimingSource;
  /** Observations behind a learned figure. */
  samples: number;
}

const entrySchema = z.object({
  templateId: z.string().min(1),
  worker: z.string().min(1),
  bucket: z.string().min(1),
  /** Exponentially weighted moving average of observed run ms (model loads excluded). */
  ms: z.number().positive(),
  /** The catalogue's estimate for this key when last observed: learned / prior corrects other workers. */
  priorMs: z.number().positive(),
  samples: z.number().int().positive(),
});
const fileSchema = z.object({ version: z.literal(1), alpha: z.number().gt(0).lte(1), entries: z.array(entrySchema) });
type Entry = z.infer<typeof entrySchema>;

export interface LearnedTimingsOptions {
  /** Weight of a new observation once the average has settled (default 0.3). */
  alpha?: number;
  /** JSON file the averages are kept in; `save()` writes it atomically. */
  path?: string;
}

const keyOf = (k: TimingKey): string => `${k.templateId}\u0000${k.worker}\u0000${k.bucket}`;

/**
 * Run durations learned per template × worker × size bucket, starting from the catalogue's
 * estimates. The first observation replaces the estimate (a catalogue figure is a guess, one
 * real run is not); later ones move an EWMA with weight max(alpha, 1/n), so the first few
 * runs average evenly and later ones track drift. A worker that never ran a template gets the
 * catalogue estimate scaled by how far the catalogue was off for that worker on other templates,
 * else for that template on the workers that ran it.
 *
 * @example
 *   const timings = LearnedTimings.open('.storycore/timings.json');
 *   timings.observe({ templateId: 'wan22-i2v-14b', worker: 'gpu-a', bucket }, 431_000, 480_000);
 *   timings.expected({ templateId: 'wan22-i2v-14b', worker: 'gpu-b', bucket }, 480_000); // scaled
 */
export class LearnedTimings {
  private readonly entries = new Map<string, Entry>();
  readonly alpha: number;
  readonly path: string | undefined;

  constructor(options: LearnedTimingsOptions = {}) {
    this.alpha = options.alpha ?? 0.3;
    this.path = options.path;
  }

  /** Reads `path` when it exists (a missing file is an empty history); throws `TimingsFileError` on a corrupt one. */
  static open(path: string, options: Omit<LearnedTimingsOptions, 'path'> = {}): LearnedTimings {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new TimingsFileError(path, String(error), { cause: error });
    }
    if (text === undefined) return new LearnedTimings({ ...options, path });
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new TimingsFileError(path, error instanceof Error ? error.message.split('\n')[0]! : String(error), { cause: error });
    }
    const timings = new LearnedTimings({ alpha: options.alpha ?? parsed.alpha, path });
    for (const e of parsed.entries) timings.entries.set(keyOf(e), e);
    return timings;
  }

  /**
   * Records one run of `runMs` (model loading excluded: pass what the router did not predict as
   * load time). `priorMs` is the catalogue estimate for the same key.
   */
  observe(key: TimingKey, runMs: number, priorMs: number): ExpectedDuration {
    if (!(runMs > 0) || !Number.isFinite(runMs)) return this.expected(key, priorMs);
    const id = keyOf(key);
    const old = this.entries.get(id);
    const samples = (old?.samples ?? 0) + 1;
    const weight = old ? Math.max(this.alpha, 1 / samples) : 1;
    const ms = old ? old.ms + weight * (runMs - old.ms) : runMs;
    this.entries.set(id, { ...key, ms, priorMs: priorMs > 0 ? priorMs : runMs, samples });
    return { ms, source: 'learned', samples };
  }

  /** Expected run ms for `key`: learned, else the catalogue's `priorMs` corrected by other workers' experience. */
  expected(key: TimingKey, priorMs: number): ExpectedDuration {
    const own = this.entries.get(keyOf(key));
    if (own) return { ms: own.ms, source: 'learned', samples: own.samples };
    // How far the catalogue was off for this worker on other templates (its GPU is faster or
    // slower than its profile says), else for this template on other workers; geometric means,
    // so one badly-off entry does not dominate.
    const sameWorker = [...this.entries.values()].filter((e) => e.worker === key.worker);
    const peers = sameWorker.length > 0 ? sameWorker : [...this.entries.values()].filter((e) => e.templateId === key.templateId && e.bucket === key.bucket);
    if (peers.length === 0) return { ms: priorMs, source: 'catalog', samples: 0 };
    const logRatio = peers.reduce((sum, e) => sum + Math.log(e.ms / e.priorMs), 0) / peers.length;
    return { ms: priorMs * Math.exp(logRatio), source: 'scaled', samples: 0 };
  }

  /** Every learned average (for reports and tests). */
  list(): Entry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  /** Writes the averages to `path` (default: the one opened) via a temporary file and a rename. */
  save(path: string | undefined = this.path): void {
    if (!path) throw new TimingsFileError('(none)', 'no path to save learned timings to', { hint: 'give the learned timings a file to be saved in (LearnedTimings.open with a path)' });
    ensureDirSync(dirname(path));
    const tmp = `${path}.${process.pid}.tmp`;
    const body = { version: 1 as const, alpha: this.alpha, entries: this.list().sort((a, b) => keyOf(a).localeCompare(keyOf(b))) };
    writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`);
    renameSync(tmp, path);
  }
}
