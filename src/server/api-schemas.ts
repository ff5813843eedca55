import { z } from 'zod';

/** The one error shape of every 4xx/5xx reply: the same typed errors the CLI prints. */
export const errorReply = z.object({
  code: z.string().describe('stable error code, e.g. STORY_INVALID, NOT_FOUND, FORBIDDEN'),
  message: z.string(),
  fix: z.string().optional().describe('what to do about it'),
  field: z.string().optional().describe('the request field at fault, e.g. body.yaml or params.project'),
  issues: z.array(z.object({
    path: z.string(), message: z.string(), hint: z.string(), line: z.number().optional(), column: z.number().optional(),
  })).optional().describe('every positioned problem of a rejected story'),
}).describe('Error');

export const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429, 500, 503] as const;

/** Error replies for a route's `response` map. */
export function errorReplies(...statuses: number[]): Record<number, typeof errorReply> {
  return Object.fromEntries(statuses.map((s) => [s, errorReply]));
}

export const projectParams = z.strictObject({
  project: z.string().min(1).max(63).describe('project id: lower-case letters, digits and dashes'),
});

export const taskOutput = z.object({ role: z.string(), sha256: z.string(), kind: z.string(), filename: z.string(), bytes: z.number() });
