import { z } from 'zod';
import { allTemplates, templateById } from '../../catalog/templates/index.js';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';

const templateSummary = z.object({
  id: z.string(), version: z.string(), title: z.string(), description: z.string(), family: z.string(),
  capabilities: z.array(z.string()), variants: z.array(z.object({ id: z.string(), kind: z.string(), description: z.string() })),
});

export function templateRoutes(app: Api, _ctx: ServerContext): void {
  app.get('/api/templates', {
    config: { scope: 'read' },
    schema: { summary: 'the workflow templates of the catalogue', tags: ['templates'], response: { 200: z.object({ templates: z.array(templateSummary) }), ...errorReplies(401, 403) } },
  }, async () => ({
    templates: allTemplates().map((t) => ({
      id: t.id, version: t.version, title: t.title, description: t.description, family: t.family,
      capabilities: [...t.capabilities], variants: t.variants.map((v) => ({ id: v.id, kind: v.kind, description: v.description })),
    })),
  }));

  app.get('/api/templates/:id', {
    config: { scope: 'read' },
    schema: {
      summary: 'one template: its parameters with defaults, and the API graph they build',
      tags: ['templates'], params: z.strictObject({ id: z.string().min(1).max(100) }),
      response: { 200: templateSummary.extend({ params: z.record(z.string(), z.unknown()), graph: z.record(z.string(), z.unknown()) }), ...errorReplies(401, 403, 404) },
    },
  }, async (request) => {
    let t;
    try {
      t = templateById(request.params.id);
    } catch (error) {
      throw new ApiError(404, 'NOT_FOUND', (error as Error).message, { field: 'params.id', hint: 'list templates with GET /api/templates' });
    }
    return {
      id: t.id, version: t.version, title: t.title, description: t.description, family: t.family,
      capabilities: [...t.capabilities], variants: t.variants.map((v) => ({ id: v.id, kind: v.kind, description: v.description })),
      params: t.parse({}) as Record<string, unknown>, graph: t.build({}) as unknown as Record<string, unknown>,
    };
  });
}
