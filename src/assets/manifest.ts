import { z } from 'zod';
import type { ApiGraph } from '../comfy/graph.js';
import { AssetStoreInputError } from './errors/asset-store-input-error.js';
import { describeModels, modelUsesOf, seedsOf, type ModelUse } from './manifest-models.js';
import { storycoreVersion } from './storycore-version.js';

/**
 * The sidecar written for every stored asset (`.storycore/manifests/<sha256>.json`, and beside
 * its readable link): what produced it, from what, on which worker, with which models and
 * licences. A task's manifest is shared by all its outputs; an asset's adds `asset` (which one).
 */
export const MANIFEST_SCHEMA = 'storycore.manifest/1';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 hex digest');
const ms = z.number().nonnegative();

export const ASSET_KINDS = ['image', 'video', 'audio', 'latent', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** Open-ended: the story pipeline names roles (`keyframe`, `clip`, `interpolated`, `upscaled`, `layer`…). */
export type AssetRole = 'keyframe' | 'clip' | 'interpolated' | 'upscaled' | (string & {});

export const taskOutputSchema = z.object({
  role: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lowercase letters, digits, "-" or "_"'),
  sha256,
  kind: z.enum(ASSET_KINDS),
  /** The file name the worker gave it (keeps the extension for links). */
  filename: z.string().min(1),
  bytes: z.number().int().nonnegative(),
});
export type TaskOutput = z.infer<typeof taskOutputSchema> & { role: AssetRole };

export const manifestLicenceSchema = z.object({
  name: z.string().min(1),
  url: z.string().optional(),
  /** null when the licence is unknown. */
  commercialUse: z.boolean().nullable(),
  notes: z.string().optional(),
});

export const manifestModelSchema = z.object({
  file: z.string().min(1),
  folder: z.string().min(1),
  modelId: z.string().optional(),
  name: z.string().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  sizeEstimated: z.boolean().optional(),
  sha256: sha256.optional(),
  licence: manifestLicenceSchema,
});
export type ManifestModel = z.infer<typeof manifestModelSchema>;

const apiGraphSchema = z.record(
  z.string(),
  z.object({ class_type: z.string().min(1), inputs: z.record(z.string(), z.unknown()), _meta: z.object({ title: z.string().optional() }).optional() }),
);

export const workerInfoSchema = z.object({
  name: z.string().min(1),
  url: z.string().min(1),
  gpu: z.string().optional(),
  comfyuiVersion: z.string().optional(),
});
export type WorkerInfo = z.infer<typeof workerInfoSchema>;

export const timingsSchema = z.object({
  queuedMs: ms.optional(),
  uploadingMs: ms.optional(),
  executingMs: ms.optional(),
  downloadingMs: ms.optional(),
  /** Node id → execution ms, when the worker reported per-node timing. */
  perNodeMs: z.record(z.string(), ms).optional(),
});
export type Timings = z.infer<typeof timingsSchema>;

export const inputAssetSchema = z.object({ role: z.string().min(1), sha256 });

export const taskManifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  taskHash: sha256,
  template: z.object({ id: z.string().min(1), version: z.string().min(1) }),
  /** The API graph exactly as submitted to ComfyUI. */
  graph: apiGraphSchema,
  params: z.record(z.string(), z.unknown()),
  /** `<node id>.<input>` → seed, plus `params.seed` when the template has one. */
  seeds: z.record(z.string(), z.number()),
  models: z.array(manifestModelSchema),
  worker: workerInfoSchema,
  timings: timingsSchema,
  promptId: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  inputs: z.array(inputAssetSchema),
  /** Every output of the task, in the order the pipeline recorded them. */
  outputs: z.array(taskOutputSchema),
  storycoreVersion: z.string().min(1),
});
export type TaskManifest = z.infer<typeof taskManifestSchema>;

export const assetManifestSchema = taskManifestSchema.extend({ asset: taskOutputSchema });
export type AssetManifest = z.infer<typeof assetManifestSchema>;

/** What the pipeline knows after a run; `buildTaskManifest` fills in the rest from the catalogue. */
export interface TaskRunFacts {
  templateId: string;
  templateVersion: string;
  graph: ApiGraph;
  params: Record<string, unknown>;
  worker: WorkerInfo;
  promptId: string;
  timings?: Timings;
  /** Input assets by role (`start_image` → sha256), or as a list. */
  inputs?: Record<string, string> | { role: string; sha256: string }[];
  /** Models the run loaded; defaults to the loader inputs of `graph`. */
  models?: ModelUse[];
  /** Extra seeds; the graph's literal seeds and `params.seed` are found automatically. */
  seeds?: Record<string, number>;
  createdAt?: Date | string;
}

/**
 * The full, validated task manifest: models with catalogue licences (unknown files marked
 * `unknown`), seeds found in the graph, the StoryCore version and creation time.
 */
export function buildTaskManifest(taskHash: string, outputs: readonly TaskOutput[], facts: TaskRunFacts): TaskManifest {
  const inputs = Array.isArray(facts.inputs)
    ? facts.inputs.map((i) => ({ role: i.role, sha256: i.sha256.toLowerCase() }))
    : Object.entries(facts.inputs ?? {}).map(([role, sha]) => ({ role, sha256: sha.toLowerCase() }));
  const paramSeed = typeof facts.params.seed === 'number' ? { 'params.seed': facts.params.seed } : {};
  const createdAt = facts.createdAt instanceof Date ? facts.createdAt.toISOString() : (facts.createdAt ?? new Date().toISOString());
  return parseManifest(taskManifestSchema, {
    schema: MANIFEST_SCHEMA,
    taskHash,
    template: { id: facts.templateId, version: facts.templateVersion },
    graph: facts.graph,
    params: facts.params,
    seeds: { ...paramSeed, ...seedsOf(facts.graph), ...facts.seeds },
    models: describeModels(facts.models ?? modelUsesOf(facts.graph)),
    worker: facts.worker,
    timings: facts.timings ?? {},
    promptId: facts.promptId,
    createdAt,
    inputs,
    outputs,
    storycoreVersion: storycoreVersion(),
  }, `manifest of task ${taskHash}`);
}

/** The sidecar of one output of a task. */
export function assetManifestOf(task: TaskManifest, output: TaskOutput): AssetManifest {
  return { ...task, asset: output };
}

/** Validates a manifest read from disk or built in memory; a failure names the first bad field. */
export function parseManifest<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(root)';
  throw new AssetStoreInputError(`${what} is invalid at ${where}: ${issue?.message ?? 'unknown problem'}`, 'fix the value the pipeline passes (see docs/assets.md, "Manifest fields")', result.error);
}
