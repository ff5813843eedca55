import { z } from 'zod';
import type { Api } from '../api.js';
import { errorReplies, projectParams, taskOutput } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import { withProject } from '../projects/project-state.js';
import type { ServerContext } from '../server-context.js';

const shotsReply = z.object({
  shots: z.array(z.object({
    shot: z.string(),
    tasks: z.array(z.object({
      key: z.string(), stage: z.string(), templateId: z.string(), state: z.string(),
      taskHash: z.string().optional(), outputs: z.array(taskOutput).optional(),
    })),
  })),
  queue: z.record(z.string(), z.number()),
});

const sha256Params = projectParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 hex digest') });

/** State per shot and stage, and each asset's manifest (provenance). */
export function shotRoutes(app: Api, ctx: ServerContext): void {
  app.get('/api/projects/:project/shots', {
    config: { scope: 'read' },
    schema: { summary: 'per shot and stage: stored, queued, running, or waiting; with outputs', tags: ['shots'], params: projectParams, response: { 200: shotsReply, ...errorReplies(400, 401, 403, 404, 422) } },
  }, async (request) => {
    const { shotStates } = await import('../../engine/shot-status.js');
    return withProject(ctx, request.params.project, (state, plan) => shotStates(state, plan));
  });

  app.get('/api/projects/:project/manifests/:sha256', {
    config: { scope: 'read' },
    schema: { summary: 'the manifest of a stored asset: template, parameters, seed, models and licences, worker, timings, graph', tags: ['shots'], params: sha256Params, response: { 200: z.record(z.string(), z.unknown()), ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => {
    const dir = ctx.projects.dir(request.params.project);
    const { AssetStore } = await import('../../assets/index.js');
    const store = await AssetStore.open(dir);
    try {
      const manifest = await store.readManifest(request.params.sha256);
      if (!manifest) throw new ApiError(404, 'NOT_FOUND', `no manifest for ${request.params.sha256}`, { field: 'params.sha256', hint: 'use a sha256 from GET /api/projects/{project}/shots' });
      return manifest as unknown as Record<string, unknown>;
    } finally {
      await store.close();
    }
  });
}
