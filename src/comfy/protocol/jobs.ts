import { z } from 'zod';

/**
 * Current ComfyUI's Jobs API bodies (server.py `/api/jobs…`, comfy_execution/jobs.py). Loose
 * objects: a job carries more fields as ComfyUI grows (preview_output, workflow_id…).
 */
export const jobStatusSchema = z.enum(['pending', 'in_progress', 'completed', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const jobSchema = z.looseObject({
  id: z.string(),
  status: jobStatusSchema,
  priority: z.number().optional(),
  create_time: z.number().optional(),
  execution_start_time: z.number().optional(),
  execution_end_time: z.number().optional(),
  execution_error: z.record(z.string(), z.unknown()).optional(),
  outputs_count: z.number().int().optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});
export type JobRecord = z.infer<typeof jobSchema>;

export const jobListSchema = z.looseObject({
  jobs: z.array(jobSchema),
  pagination: z.looseObject({
    offset: z.number().int(),
    limit: z.number().int().nullable(),
    total: z.number().int(),
    has_more: z.boolean(),
  }),
});
export type JobList = z.infer<typeof jobListSchema>;

export const jobCancelSchema = z.looseObject({ cancelled: z.boolean() });
