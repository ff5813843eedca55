import { DEFAULT_INPUT_LIMITS } from '../platform/input-limits.js';
import * as z from 'zod';

/**
 * The one schema of StoryCore's configuration. Every object is strict (an unknown key is an
 * error, so a typo never silently falls back to a default) and every leaf has a default, so
 * an empty file is a working single-machine setup.
 */

const httpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname, error: 'expected an http(s) URL' });

export const workerAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: z.string().min(1) }),
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }),
]);

export const workerConfigSchema = z.strictObject({
  /** Defaults to `host:port` of the URL. */
  name: z.string().min(1).optional(),
  url: httpUrl,
  auth: workerAuthSchema.optional(),
  /** Extra HTTP headers sent with every request (e.g. a gateway key). */
  headers: z.record(z.string(), z.string()).default({}),
  tags: z.array(z.string()).default([]),
  /** Prompts the dispatcher keeps queued on this worker at once. */
  maxQueued: z.number().int().min(1).default(2),
  /** What the scheduler may assume before the worker has been probed. */
  gpu: z.strictObject({ name: z.string().optional(), vramGb: z.number().positive().optional() }).optional(),
}).transform((worker) => ({ ...worker, name: worker.name ?? defaultWorkerName(worker.url) }));

export const QUEUE_BACKENDS = ['sqlite', 'bullmq'] as const;
export const SCHEDULER_STRATEGIES = [
  'model_affinity',
  'best_quality',
  'fastest',
  'balanced',
  'least_memory',
  'round_robin',
] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export const ENVIRONMENTS = ['development', 'testing', 'staging', 'production'] as const;

const pathsSchema = z.strictObject({
  projectDir: z.string().min(1).default('.'),
  outputDir: z.string().min(1).default('out'),
  dataDir: z.string().min(1).default('.storycore'),
  /** Folders outside the project that story and CLI paths may name (reference images, --out, --object-info…). */
  allowedDirs: z.array(z.string().min(1)).default([]),
  comfyui: z
    .strictObject({
      /** A local ComfyUI checkout StoryCore may launch. */
      dir: z.string().min(1).optional(),
      python: z.string().min(1).default('python3'),
    })
    .prefault({}),
});

const queueSchema = z
  .strictObject({
    backend: z.enum(QUEUE_BACKENDS).default('sqlite'),
    sqlitePath: z.string().min(1).default('.storycore/queue.sqlite'),
    redisUrl: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
    redisConnectTimeoutMs: z.number().int().min(100).default(5_000),
    leaseMs: z.number().int().min(1000).default(60_000),
    heartbeatMs: z.number().int().min(100).default(10_000),
    maxAttempts: z.number().int().min(1).default(3),
  })
  .refine((q) => q.heartbeatMs < q.leaseMs, {
    path: ['heartbeatMs'],
    message: 'must be smaller than queue.leaseMs, or leases expire between heartbeats',
  });

/** How long each call to a ComfyUI worker may wait (docs/configuration.md, "Timeouts"). */
const timeout = (ms: number) => z.number().int().min(100).default(ms);
const clientSchema = z.strictObject({
  requestTimeoutMs: timeout(30_000),
  objectInfoTimeoutMs: timeout(120_000),
  uploadTimeoutMs: timeout(300_000),
  socketOpenTimeoutMs: timeout(5_000),
  unreachableTimeoutMs: timeout(120_000),
  downloadIdleTimeoutMs: timeout(60_000),
  checkTimeoutMs: timeout(10_000),
});

const serverSchema = z.strictObject({
  /** `storycore serve` binds here; any address but loopback needs an API key (or --insecure-no-auth). */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8420),
  /** One folder per project (story.yaml and its store); relative to the working directory. */
  projectsDir: z.string().min(1).default('projects'),
  /** Largest request body accepted (story text, story.yaml, uploads). */
  bodyLimitBytes: z.number().int().min(1_024).max(1_073_741_824).default(10 * 1024 * 1024),
  /** Origins allowed by CORS; empty = CORS off. */
  corsOrigins: z.array(z.string().url()).default([]),
  /** Requests a minute per API key (per address without one). */
  rateLimitPerMinute: z.number().int().min(1).default(600),
  /** Failed authentications a minute per address before 429. */
  authFailuresPerMinute: z.number().int().min(1).default(20),
  /** Let admin keys set worker and webhook URLs on loopback and link-local (metadata) addresses. */
  allowPrivateUrls: z.boolean().default(false),
  /** Largest reference image upload, and its largest pixel count (decompression bombs). */
  uploadLimitBytes: z.number().int().min(1_024).default(20 * 1024 * 1024),
  uploadLimitPixels: z.number().int().min(1).default(64_000_000),
});

const plannerSchema = z
  .strictObject({
    kind: z.enum(['rules', 'llm']).default('rules'),
    llm: z
      .strictObject({
        /** An OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama). */
        url: httpUrl.optional(),
        model: z.string().min(1).optional(),
        apiKey: z.string().min(1).optional(),
        timeoutMs: z.number().int().min(1).default(60_000),
      })
      .prefault({}),
  })
  .superRefine((p, ctx) => {
    if (p.kind !== 'llm') return;
    // One problem per missing key, blamed on whatever set planner.kind (not on a sibling key).
    const examples = { url: 'http://127.0.0.1:11434/v1', model: 'llama3.1' } as const;
    for (const key of ['url', 'model'] as const) {
      if (p.llm[key] !== undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['llm', key],
        message: `planner.llm.${key} is required because planner.kind is llm`,
        params: {
          blame: ['planner', 'kind'],
          hint: `set planner.llm.${key} (e.g. ${examples[key]}) in the config file or STORYCORE_PLANNER__LLM__${key.toUpperCase()}, or plan with --planner rules`,
        },
      });
    }
  });

const simSchema = z.strictObject({
  profile: z.string().min(1).default('rtx4090'),
  timeScale: z.number().positive().default(1),
  workers: z.number().int().min(1).max(64).default(1),
});

const alertsSchema = z.strictObject({
  webhookUrl: httpUrl.optional(),
  /** Signs webhook bodies (HMAC-SHA256). */
  secret: z.string().min(1).optional(),
  thresholds: z
    .strictObject({
      /** Share of failed tasks over the last hour, 0..1. */
      failureRate: z.number().min(0).max(1).default(0.25),
      queueDepth: z.number().int().min(1).default(100),
      workerDownMs: z.number().int().min(1).default(60_000),
    })
    .prefault({}),
});

/** Size and depth limits of what StoryCore reads (see src/platform/input-limits.ts). */
const limitsSchema = z.strictObject({
  fileMb: z.number().positive().max(4096).default(DEFAULT_INPUT_LIMITS.fileMb),
  depth: z.number().int().min(8).max(10_000).default(DEFAULT_INPUT_LIMITS.depth),
  aliases: z.number().int().min(0).max(1_000_000).default(DEFAULT_INPUT_LIMITS.aliases),
  imageMb: z.number().positive().max(4096).default(DEFAULT_INPUT_LIMITS.imageMb),
  imageMegapixels: z.number().positive().max(10_000).default(DEFAULT_INPUT_LIMITS.imageMegapixels),
});

export const configSchema = z
  .strictObject({
    workers: z.array(workerConfigSchema).default([]),
    paths: pathsSchema.prefault({}),
    queue: queueSchema.prefault({}),
    client: clientSchema.prefault({}),
    server: serverSchema.prefault({}),
    planner: plannerSchema.prefault({}),
    scheduler: z.strictObject({ strategy: z.enum(SCHEDULER_STRATEGIES).default('model_affinity') }).prefault({}),
    sim: simSchema.prefault({}),
    defaults: z
      .strictObject({
        timeoutMs: z.number().int().min(1).default(600_000),
        retries: z.number().int().min(0).default(2),
      })
      .prefault({}),
    logging: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
    alerts: alertsSchema.prefault({}),
    limits: limitsSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.workers.forEach((worker, index) => {
      const name = worker.name;
      const first = seen.get(name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['workers', index, 'name'],
          input: name,
          message: `duplicates the name of workers.${first}; every worker needs a distinct name`,
        });
      } else seen.set(name, index);
    });
  });

export type StoryCoreConfig = z.output<typeof configSchema>;
export type WorkerConfig = z.output<typeof workerConfigSchema>;
export type Environment = (typeof ENVIRONMENTS)[number];

/** `host:port` of a worker URL, the name a worker gets when the config gives none. */
export function defaultWorkerName(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return url;
  }
}

/** The built-in defaults (what an empty config file means). */
export function defaultConfig(): StoryCoreConfig {
  return configSchema.parse({});
}
