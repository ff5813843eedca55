import { z } from 'zod';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import { SCOPES } from '../auth/scopes.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';

const keyInfo = z.object({
  id: z.string(), name: z.string(), scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(), expiresAt: z.string().nullable(), revokedAt: z.string().nullable(),
});

/** API keys (admin). The clear key is in the create reply only; it is stored as a scrypt hash. */
export function keyRoutes(app: Api, ctx: ServerContext): void {
  app.get('/api/keys', {
    config: { scope: 'admin' },
    schema: { summary: 'list API keys (never the keys themselves)', tags: ['keys'], response: { 200: z.object({ keys: z.array(keyInfo) }), ...errorReplies(401, 403) } },
  }, async () => ({ keys: ctx.keys.list() }));

  app.post('/api/keys', {
    config: { scope: 'admin' },
    schema: {
      summary: 'create an API key; the reply is the only time the key is shown',
      tags: ['keys'],
      body: z.strictObject({
        name: z.string().min(1).max(64).regex(/^[\w .-]+$/, 'letters, digits, spaces, dots, dashes and underscores'),
        scopes: z.array(z.enum(SCOPES)).min(1),
        expiresInDays: z.number().int().min(1).max(3650).optional(),
      }),
      response: { 201: z.object({ key: z.string(), info: keyInfo }), ...errorReplies(400, 401, 403) },
    },
  }, async (request, reply) => {
    const { name, scopes, expiresInDays } = request.body;
    const created = ctx.keys.create({ name, scopes: [...new Set(scopes)], ...(expiresInDays ? { expiresAt: new Date(Date.now() + expiresInDays * 86_400_000) } : {}) });
    return reply.status(201).send(created);
  });

  app.delete('/api/keys/:id', {
    config: { scope: 'admin' },
    schema: { summary: 'revoke an API key', tags: ['keys'], params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{12}$/) }), response: { 204: z.null(), ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    if (!ctx.keys.revoke(request.params.id)) throw new ApiError(404, 'NOT_FOUND', `no active key ${request.params.id}`, { field: 'params.id', hint: 'list keys with GET /api/keys' });
    return reply.status(204).send(null);
  });
}
