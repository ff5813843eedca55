import { z } from 'zod';
import type { Api } from '../api.js';
import { errorReplies, projectParams } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import { withProject } from '../projects/project-state.js';
import type { RunRecord } from '../runs/run-registry.js';
import type { ServerContext } from '../server-context.js';

export const runReply = z.object({
  id: z.string(),
  project: z.string(),
  kind: z.enum(['generate', 'render']),
  state: z.enum(['running', 'completed', 'failed', 'cancelled']),
  request: z.object({ shots: z.array(z.string()).optional(), force: z.array(z.string()).optional(), forceRender: z.boolean().optional() }),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  summary: z.unknown(),
  error: z.object({ code: z.string(), message: z.string(), fix: z.string().optional() }).nullable(),
});

const runParams = projectParams.extend({ run: z.string().regex(/^run-[a-z0-9]+-[0-9a-f]{6}$/).describe('run id') });

const shotList = z.array(z.string().regex(/^(shot-)?\d{1,6}$/, 'a shot id such as shot-003 (or 3)')).max(10_000);

function ownRun(ctx: ServerContext, project: string, id: string): RunRecord {
  const run = ctx.runs.get(id);
  if (!run || run.project !== project) throw new ApiError(404, 'NOT_FOUND', `run '${id}' not found in project '${project}'`, { field: 'params.run', hint: 'list runs with GET /api/projects/{project}/runs' });
  return run;
}

/** Generate, render, dry-run and cancel: the engine's runs, followed on /api/events. */
export function runRoutes(app: Api, ctx: ServerContext): void {
  app.post('/api/projects/:project/runs', {
    config: { scope: 'generate' },
    schema: {
      summary: 'start a run: generate (all shots, some, or forced again) or render the cut',
      description: 'Answers 202 at once; follow the run on GET /api/events?project={project}. Tasks whose assets are stored are not submitted again.',
      tags: ['runs'], params: projectParams,
      body: z.strictObject({
        kind: z.enum(['generate', 'render']),
        shots: shotList.optional().describe('generate: only these shots (and what they depend on)'),
        force: shotList.optional().describe('generate: run these shots again although their assets are stored'),
        forceRender: z.boolean().optional().describe('render: cut again although nothing changed'),
      }),
      response: { 202: runReply, ...errorReplies(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const { project } = request.params;
    ctx.projects.dir(project);
    const { kind, shots, force, forceRender } = request.body;
    const run = ctx.runs.start(project, kind, { ...(shots ? { shots } : {}), ...(force ? { force } : {}), ...(forceRender ? { forceRender } : {}) });
    return reply.status(202).send(run);
  });

  app.get('/api/projects/:project/runs', {
    config: { scope: 'read' },
    schema: { summary: 'the project\'s runs, newest first', tags: ['runs'], params: projectParams, response: { 200: z.object({ runs: z.array(runReply) }), ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => {
    ctx.projects.dir(request.params.project);
    return { runs: ctx.runs.list(request.params.project) };
  });

  app.get('/api/projects/:project/runs/:run', {
    config: { scope: 'read' },
    schema: { summary: 'one run', tags: ['runs'], params: runParams, response: { 200: runReply, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => ownRun(ctx, request.params.project, request.params.run));

  app.post('/api/projects/:project/runs/:run/cancel', {
    config: { scope: 'generate' },
    schema: { summary: 'cancel a running run (its queued prompts are interrupted or deleted)', tags: ['runs'], params: runParams, response: { 202: runReply, ...errorReplies(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    ownRun(ctx, request.params.project, request.params.run);
    return reply.status(202).send(ctx.runs.cancel(request.params.run));
  });

  app.post('/api/projects/:project/dry-run', {
    config: { scope: 'generate' },
    schema: {
      summary: 'what a generate would run, preflighted on every worker; submits nothing',
      tags: ['runs'], params: projectParams,
      response: { 200: z.record(z.string(), z.unknown()), ...errorReplies(400, 401, 403, 404, 422) },
    },
  }, async (request) => {
    const { dryRun } = await import('../../engine/dry-run.js');
    return withProject(ctx, request.params.project, async (state, plan, dir) => await dryRun(state, plan, { cwd: dir, config: ctx.config }) as unknown as Record<string, unknown>);
  });
}
