import { z } from 'zod';
import { JOB_STATES, type Job } from '../../scheduler/queue/index.js';
import type { Api } from '../api.js';
import { errorReplies, projectParams } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';

const jobReply = z.object({
  id: z.string(), kind: z.string(), state: z.enum(JOB_STATES as [string, ...string[]]), priority: z.number(),
  attempts: z.number(), maxAttempts: z.number(), worker: z.string().nullable(), promptId: z.string().nullable(),
  task: z.string().nullable().describe('the story task, e.g. shot-003/clip'), error: z.object({ code: z.string(), message: z.string() }).nullable(),
  history: z.array(z.object({ attempt: z.number(), worker: z.string(), startedAt: z.number(), endedAt: z.number().nullable(), error: z.object({ code: z.string(), message: z.string() }).nullable(), note: z.string().nullable() })),
  createdAt: z.number(), updatedAt: z.number(), finishedAt: z.number().nullable(),
});

function view(job: Job): z.infer<typeof jobReply> {
  const meta = (job.payload as { storycore?: { taskKey?: string } } | null)?.storycore;
  return {
    id: job.id, kind: job.kind, state: job.state, priority: job.priority, attempts: job.attempts, maxAttempts: job.maxAttempts,
    worker: job.promptRef?.workerName ?? null, promptId: job.promptRef?.promptId ?? null, task: meta?.taskKey ?? null, error: job.error,
    history: job.history, createdAt: job.createdAt, updatedAt: job.updatedAt, finishedAt: job.finishedAt,
  };
}

const jobParams = projectParams.extend({ job: z.string().min(1).max(200) });

/** A project's durable queue: list with filters, one job with its attempts, cancel. */
export function jobRoutes(app: Api, ctx: ServerContext): void {
  const withQueue = async <T>(project: string, use: (queue: import('../../scheduler/queue/index.js').JobQueue) => Promise<T>): Promise<T> => {
    const dir = ctx.projects.dir(project);
    const { ProjectState } = await import('../../engine.js');
    const state = await ProjectState.open(ctx.config, dir);
    try {
      return await use(state.queue);
    } finally {
      await state.close();
    }
  };

  app.get('/api/projects/:project/jobs', {
    config: { scope: 'read' },
    schema: {
      summary: 'the project\'s queue: jobs with state, worker, prompt id and attempts',
      tags: ['jobs'], params: projectParams,
      querystring: z.strictObject({
        state: z.enum(JOB_STATES as [string, ...string[]]).optional(),
        kind: z.string().max(40).optional().describe('keyframe, clip, interpolation'),
        limit: z.coerce.number().int().min(1).max(10_000).default(500),
      }),
      response: { 200: z.object({ jobs: z.array(jobReply), counts: z.record(z.string(), z.number()) }), ...errorReplies(400, 401, 403, 404) },
    },
  }, async (request) => withQueue(request.params.project, async (queue) => {
    const { state, kind, limit } = request.query;
    const jobs = await queue.list({ ...(state ? { state: state as Job['state'] } : {}), ...(kind ? { kind } : {}), limit });
    return { jobs: jobs.map(view), counts: await queue.counts() };
  }));

  app.get('/api/projects/:project/jobs/:job', {
    config: { scope: 'read' },
    schema: { summary: 'one job with its attempt history', tags: ['jobs'], params: jobParams, response: { 200: jobReply, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => withQueue(request.params.project, async (queue) => {
    const job = await queue.get(request.params.job);
    if (!job) throw new ApiError(404, 'NOT_FOUND', `no job '${request.params.job}'`, { field: 'params.job', hint: 'list jobs with GET /api/projects/{project}/jobs' });
    return view(job);
  }));

  app.post('/api/projects/:project/jobs/:job/cancel', {
    config: { scope: 'generate' },
    schema: { summary: 'cancel a job that has not finished (its prompt is interrupted by the dispatcher that holds it)', tags: ['jobs'], params: jobParams, response: { 200: jobReply, ...errorReplies(400, 401, 403, 404, 409) } },
  }, async (request) => withQueue(request.params.project, async (queue) => {
    const job = await queue.get(request.params.job);
    if (!job) throw new ApiError(404, 'NOT_FOUND', `no job '${request.params.job}'`, { field: 'params.job', hint: 'list jobs with GET /api/projects/{project}/jobs' });
    if (['completed', 'failed', 'cancelled'].includes(job.state)) throw new ApiError(409, 'JOB_FINISHED', `job '${job.id}' is ${job.state}`, { hint: 'to run a shot again, start a generate run with force: ["shot-…"]' });
    return view((await queue.cancel(job.id)) ?? job);
  }));
}
