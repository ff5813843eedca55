import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { WorkerListFileError } from './errors/worker-list-file-error.js';

/**
 * `<dataDir>/workers.json`: the workers added with `storycore workers add`, and the last
 * health each worker (configured or local) was seen in. Tokens are stored here (mode 0600)
 * and never printed.
 */

export const HEALTH_STATES = ['unknown', 'healthy', 'degraded', 'down'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: z.string().min(1) }),
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }),
]);

export const localWorkerSchema = z.strictObject({
  name: z.string().min(1),
  url: z.string().min(1),
  auth: authSchema.optional(),
  tags: z.array(z.string()).default([]),
  maxQueued: z.number().int().min(1).default(2),
  addedAt: z.string(),
});

export const lastKnownSchema = z.strictObject({
  state: z.enum(HEALTH_STATES),
  checkedAt: z.string(),
  reason: z.string().optional(),
  gpuName: z.string().optional(),
  vramTotalBytes: z.number().optional(),
  vramFreeBytes: z.number().optional(),
  comfyuiVersion: z.string().optional(),
});

const fileSchema = z.strictObject({
  version: z.literal(1),
  workers: z.array(localWorkerSchema).default([]),
  lastKnown: z.record(z.string(), lastKnownSchema).default({}),
});

export type LocalWorker = z.output<typeof localWorkerSchema>;
export type LastKnownHealth = z.output<typeof lastKnownSchema>;
export type WorkerListFile = z.output<typeof fileSchema>;

export function emptyWorkerList(): WorkerListFile {
  return { version: 1, workers: [], lastKnown: {} };
}

/** Reads the list; a missing file is an empty list, a damaged one a typed error. */
export async function readWorkerList(file: string): Promise<WorkerListFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyWorkerList();
    throw new WorkerListFileError(file, (error as Error).message, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorkerListFileError(file, 'it is not valid JSON', error);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkerListFileError(file, `${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`, parsed.error);
  }
  return parsed.data;
}

export async function writeWorkerList(file: string, list: WorkerListFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(list, null, 2)}\n`, 0o600);
}
