import { z } from 'zod';
import { InvalidJobError } from './errors/invalid-job-error.js';
import type { Job, Json, NewJob } from './job-queue.js';

/** Bounded so the BullMQ backend can map it onto BullMQ's 1..2^21 priority range. */
export const PRIORITY_LIMIT = 1_000_000;

const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]),
);
const jobError = z.object({ code: z.string(), message: z.string() });

export const newJobSchema = z.object({
  id: z.string().min(1).max(512),
  kind: z.string().min(1).max(128),
  payload: json.optional(),
  priority: z.number().int().min(-PRIORITY_LIMIT).max(PRIORITY_LIMIT).optional(),
  dependsOn: z.array(z.string().min(1)).optional(),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
});

export const storedJobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  payload: json,
  priority: z.number(),
  dependsOn: z.array(z.string()),
  attempts: z.number(),
  maxAttempts: z.number(),
  state: z.enum(['waiting', 'ready', 'leased', 'completed', 'failed', 'cancelled']),
  lease: z.object({ owner: z.string(), expiresAt: z.number() }).nullable(),
  promptRef: z.object({ workerName: z.string(), promptId: z.string() }).nullable(),
  history: z.array(
    z.object({
      attempt: z.number(),
      worker: z.string(),
      startedAt: z.number(),
      endedAt: z.number().nullable(),
      error: jobError.nullable(),
      note: z.string().nullable(),
    }),
  ),
  result: json.nullable(),
  error: jobError.nullable(),
  readyAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  seq: z.number(),
});

export function parseNewJob(input: unknown): NewJob {
  const parsed = newJobSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidJobError(`invalid job: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  const job = parsed.data;
  if (job.dependsOn?.includes(job.id)) throw new InvalidJobError(`job ${job.id} depends on itself`);
  return job;
}

/** Storage is an I/O boundary too: a record written by another version is checked, not trusted. */
export function decodeStoredJob(text: string): Job {
  const parsed = storedJobSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new InvalidJobError(`stored job is malformed: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}
