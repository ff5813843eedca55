import { z } from 'zod';
import { inventoryFromWorker, preflight, preflightTemplates } from '../../catalog/preflight/index.js';
import { templateById } from '../../catalog/templates/index.js';
import { ComfyClient } from '../../comfy/client/index.js';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';

const problem = z.object({ kind: z.string(), message: z.string(), fix: z.string(), nodeId: z.string().optional(), classType: z.string().optional(), pack: z.string().optional(), repository: z.string().optional() }).passthrough();
const readiness = z.object({
  template: z.string(), title: z.string(), runs: z.boolean(),
  missing: z.object({ nodePacks: z.array(z.string()), models: z.array(z.string()) }),
  problems: z.array(problem),
});

function template(id: string, field: string) {
  try {
    return templateById(id);
  } catch (error) {
    throw new ApiError(404, 'NOT_FOUND', (error as Error).message, { field, hint: 'list templates with GET /api/templates' });
  }
}

/** Models and template readiness on the workers; template build and preflight. */
export function modelRoutes(app: Api, ctx: ServerContext): void {
  const inventory = async (name: string) => {
    const worker = (await ctx.workers()).find((w) => w.name === name);
    if (!worker) throw new ApiError(404, 'NOT_FOUND', `no worker '${name}'`, { field: 'body.worker', hint: 'list workers with GET /api/workers' });
    const client = new ComfyClient({ url: worker.url, name: worker.name }, { socket: false, getRetries: 0 });
    try {
      return await inventoryFromWorker(client, worker.name);
    } catch (error) {
      throw new ApiError(503, 'WORKER_UNAVAILABLE', `worker '${name}' did not answer: ${error instanceof Error ? error.message : String(error)}`, { hint: 'check the worker with POST /api/workers/{name}/check' });
    } finally {
      client.close();
    }
  };

  app.get('/api/models/status', {
    config: { scope: 'read' },
    schema: {
      summary: 'per worker, every template: does it run there, and what is missing (node packs, model files) with the fix',
      tags: ['models'],
      response: { 200: z.object({ workers: z.array(z.object({ worker: z.string(), error: z.string().optional(), templates: z.array(readiness) })) }), ...errorReplies(401, 403) },
    },
  }, async () => ({
    workers: await Promise.all((await ctx.workers()).map(async (w) => {
      try {
        const inv = await inventory(w.name);
        return { worker: w.name, templates: preflightTemplates(inv).map(({ report: _report, ...r }) => r as z.infer<typeof readiness>) };
      } catch (error) {
        return { worker: w.name, error: (error as Error).message, templates: [] };
      }
    })),
  }));

  app.post('/api/templates/:id/build', {
    config: { scope: 'read' },
    schema: {
      summary: 'build a template\'s API graph from parameters (and a variant)',
      tags: ['templates'], params: z.strictObject({ id: z.string().min(1).max(100) }),
      body: z.strictObject({ params: z.record(z.string(), z.unknown()).default({}), variant: z.string().max(100).optional() }),
      response: { 200: z.object({ graph: z.record(z.string(), z.unknown()), params: z.record(z.string(), z.unknown()), output: z.record(z.string(), z.unknown()) }), ...errorReplies(400, 401, 403, 404) },
    },
  }, async (request) => {
    const t = template(request.params.id, 'params.id');
    const params = request.body.variant ? t.variant(request.body.variant, request.body.params) : t.parse(request.body.params);
    return { graph: t.build(params) as unknown as Record<string, unknown>, params: params as Record<string, unknown>, output: t.output(params) as unknown as Record<string, unknown> };
  });

  app.post('/api/templates/:id/preflight', {
    config: { scope: 'read' },
    schema: {
      summary: 'preflight a template on a worker: missing nodes and models (with the fix), validation, output, VRAM',
      tags: ['templates'], params: z.strictObject({ id: z.string().min(1).max(100) }),
      body: z.strictObject({ worker: z.string().min(1).max(100), params: z.record(z.string(), z.unknown()).default({}), variant: z.string().max(100).optional() }),
      response: { 200: z.object({ ok: z.boolean(), problems: z.array(problem), toInstall: z.record(z.string(), z.unknown()) }).passthrough(), ...errorReplies(400, 401, 403, 404, 503) },
    },
  }, async (request) => {
    const t = template(request.params.id, 'params.id');
    const params = request.body.variant ? t.variant(request.body.variant, request.body.params) : t.parse(request.body.params);
    const inv = await inventory(request.body.worker);
    return preflight(t.build(params), inv, { template: t, params }) as unknown as { ok: boolean; problems: z.infer<typeof problem>[]; toInstall: Record<string, unknown> };
  });
}
