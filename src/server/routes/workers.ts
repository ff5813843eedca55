import { resolve } from 'node:path';
import { z } from 'zod';
import { isStoryCoreError } from '../../errors/storycore-error.js';
import { WorkerRegistry, workersFile } from '../../workers/index.js';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';
import { assertPublicUrl } from '../url-policy.js';
import { probeWorkers } from './health.js';

const device = z.object({ name: z.string(), type: z.string(), vramTotal: z.number(), vramFree: z.number() });
const workerReply = z.object({
  name: z.string(),
  url: z.string().describe('the worker URL without credentials'),
  ready: z.boolean(),
  reason: z.string().optional(),
  comfyuiVersion: z.string().optional(),
  devices: z.array(device),
});
const nameParams = z.strictObject({ name: z.string().min(1).max(100) });

/** Strips user:password from a URL: credentials never appear in a reply. */
export function publicUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid url)';
  }
}

type Probe = Awaited<ReturnType<typeof probeWorkers>>[number];

function describeWorker(p: Probe): z.infer<typeof workerReply> {
  const stats = p.stats as { system?: { comfyui_version?: string }; devices?: { name: string; type: string; vram_total: number; vram_free: number }[] } | undefined;
  return {
    name: p.name, url: publicUrl(p.url), ready: p.ready, ...(p.reason ? { reason: p.reason } : {}),
    ...(stats?.system?.comfyui_version ? { comfyuiVersion: stats.system.comfyui_version } : {}),
    devices: (stats?.devices ?? []).map((d) => ({ name: d.name, type: d.type, vramTotal: d.vram_total, vramFree: d.vram_free })),
  };
}

/** Workers: list with readiness, GPUs and VRAM; add, remove, check (admin). */
export function workerRoutes(app: Api, ctx: ServerContext): void {
  const registry = () => WorkerRegistry.open({ file: workersFile(resolve(ctx.cwd, ctx.config.paths.dataDir)), configured: ctx.config.workers });

  app.get('/api/workers', {
    config: { scope: 'read' },
    schema: { summary: 'workers with readiness, ComfyUI version, GPUs and VRAM', tags: ['workers'], response: { 200: z.object({ workers: z.array(workerReply) }), ...errorReplies(401, 403) } },
  }, async () => ({ workers: (await probeWorkers(ctx)).map(describeWorker) }));

  app.post('/api/workers', {
    config: { scope: 'admin' },
    schema: {
      summary: 'add a worker (a ComfyUI URL); loopback and link-local URLs need server.allowPrivateUrls',
      tags: ['workers'],
      body: z.strictObject({
        url: z.string().min(1).max(2_000),
        name: z.string().min(1).max(100).regex(/^[\w.:-]+$/).optional(),
        token: z.string().min(1).max(4_096).optional().describe('bearer token the worker expects; stored, never shown'),
        tags: z.array(z.string().min(1).max(64)).max(32).optional(),
      }),
      response: { 201: z.object({ name: z.string(), url: z.string() }), ...errorReplies(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    await assertPublicUrl(request.body.url, 'body.url', ctx.config.server.allowPrivateUrls);
    const reg = await registry();
    try {
      const added = await reg.add({ url: request.body.url, ...(request.body.name ? { name: request.body.name } : {}), ...(request.body.token ? { token: request.body.token } : {}), ...(request.body.tags ? { tags: request.body.tags } : {}) });
      return reply.status(201).send({ name: added.name, url: publicUrl(added.url) });
    } catch (error) {
      if (isStoryCoreError(error) && error.code === 'WORKER_DUPLICATE') throw new ApiError(409, error.code, error.message, { field: 'body.url', ...(error.hint ? { hint: error.hint } : {}) });
      if (isStoryCoreError(error)) throw new ApiError(400, error.code, error.message, { field: 'body.url', ...(error.hint ? { hint: error.hint } : {}) });
      throw error;
    }
  });

  app.delete('/api/workers/:name', {
    config: { scope: 'admin' },
    schema: { summary: 'remove a worker added through the API or `workers add` (configured ones stay)', tags: ['workers'], params: nameParams, response: { 204: z.null(), ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const reg = await registry();
    if (!reg.has(request.params.name)) throw new ApiError(404, 'NOT_FOUND', `no worker '${request.params.name}'`, { field: 'params.name', hint: 'list workers with GET /api/workers' });
    try {
      await reg.remove(request.params.name);
    } catch (error) {
      if (isStoryCoreError(error)) throw new ApiError(400, error.code, error.message, { field: 'params.name', ...(error.hint ? { hint: error.hint } : {}) });
      throw error;
    }
    return reply.status(204).send(null);
  });

  app.post('/api/workers/:name/check', {
    config: { scope: 'admin' },
    schema: { summary: 'probe one worker now', tags: ['workers'], params: nameParams, response: { 200: workerReply, ...errorReplies(400, 401, 403, 404) } },
  }, async (request) => {
    const probe = (await probeWorkers(ctx)).find((p) => p.name === request.params.name);
    if (!probe) throw new ApiError(404, 'NOT_FOUND', `no worker '${request.params.name}'`, { field: 'params.name', hint: 'list workers with GET /api/workers' });
    return describeWorker(probe);
  });
}
