import { z } from 'zod';
import type { Job, Json, NewJob } from '../queue/job-queue.js';
import { InvalidPayloadError } from './errors/invalid-payload-error.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

export const inputRefSchema = z
  .object({
    /** The template parameter that takes the uploaded file's name (`image`, `video`, `endImage`…). */
    name: z.string().min(1),
    path: z.string().min(1).optional(),
    sha256: sha256.optional(),
  })
  .refine((i) => i.path !== undefined || i.sha256 !== undefined, { message: 'an input needs a path or a sha256' });

export const jobPayloadSchema = z.object({
  templateId: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  /** A template variant to run (`lightning`, `fp16`…). */
  variant: z.string().min(1).optional(),
  inputs: z.array(inputRefSchema).default([]),
  /** Which files to download; default every file of type `output`. */
  outputs: z
    .object({
      kinds: z.array(z.enum(['image', 'video', 'audio', 'latent', 'other'])).optional(),
      nodeIds: z.array(z.string()).optional(),
      /** Also temp files (previews). */
      includeTemp: z.boolean().optional(),
    })
    .default({}),
});

export type InputRef = z.infer<typeof inputRefSchema>;
export type JobPayload = z.infer<typeof jobPayloadSchema>;
export type NewJobPayload = z.input<typeof jobPayloadSchema>;

/** The payload of a leased job; a malformed one fails the job at once (it can never run). */
export function parsePayload(job: Pick<Job, 'id' | 'payload'>): JobPayload {
  const parsed = jobPayloadSchema.safeParse(job.payload);
  if (!parsed.success) throw new InvalidPayloadError(job.id, z.prettifyError(parsed.error).replace(/\n/g, ' '));
  return parsed.data;
}

/**
 * A queue job the dispatcher can run, its payload checked now rather than when it is leased.
 *
 * @example await queue.add([dispatchJob({ id: hash, kind: 'keyframe', payload: { templateId: 'sd15-t2i', params: { prompt } } })]);
 */
export function dispatchJob(job: Omit<NewJob, 'payload'> & { payload: NewJobPayload }): NewJob {
  const payload = jobPayloadSchema.parse(job.payload);
  return { ...job, payload: JSON.parse(JSON.stringify(payload)) as Json };
}
