import { z } from 'zod';
import { newWebhookSecret } from '../../scheduler/alerts/index.js';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import { checkProjectId } from '../projects/project-dirs.js';
import type { ServerContext } from '../server-context.js';
import { assertPublicUrl } from '../url-policy.js';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-store.js';

const subscription = z.object({ id: z.string(), project: z.string().nullable(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), createdAt: z.string() });
const idParams = z.strictObject({ id: z.string().regex(/^wh_[0-9a-f]{12}$/) });

/** Webhook subscriptions (admin): signed with Standard Webhooks, retried, logged. */
export function webhookRoutes(app: Api, ctx: ServerContext): void {
  app.get('/api/webhooks', {
    config: { scope: 'admin' },
    schema: { summary: 'webhook subscriptions (never their secrets)', tags: ['webhooks'], response: { 200: z.object({ webhooks: z.array(subscription) }), ...errorReplies(401, 403) } },
  }, async () => ({ webhooks: ctx.webhooks.list().map(({ secret: _secret, ...sub }) => sub) }));

  app.post('/api/webhooks', {
    config: { scope: 'admin' },
    schema: {
      summary: 'subscribe a URL to events; the reply is the only time the signing secret is shown',
      description: 'Deliveries are POSTed as {type, timestamp, data} and signed with the Standard Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature).',
      tags: ['webhooks'],
      body: z.strictObject({
        url: z.string().min(1).max(2_000),
        events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
        project: z.string().min(1).max(63).optional().describe('only this project\'s events (and global ones); default: all'),
      }),
      response: { 201: subscription.extend({ secret: z.string().describe('whsec_…: verify signatures with it') }), ...errorReplies(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const { url, events, project } = request.body;
    await assertPublicUrl(url, 'body.url', ctx.config.server.allowPrivateUrls);
    if (project !== undefined) {
      checkProjectId(project, 'body.project');
      if (!ctx.projects.exists(project)) throw new ApiError(404, 'NOT_FOUND', `project '${project}' not found`, { field: 'body.project', hint: 'list projects with GET /api/projects' });
    }
    const secret = newWebhookSecret();
    const sub = ctx.webhooks.add({ url, events: [...new Set(events)], project: project ?? null, secret });
    return reply.status(201).send({ ...sub, secret });
  });

  app.delete('/api/webhooks/:id', {
    config: { scope: 'admin' },
    schema: { summary: 'remove a webhook subscription', tags: ['webhooks'], params: idParams, response: { 204: z.null(), ...errorReplies(400, 401, 403, 404) } },
  }, async (request, reply) => {
    if (!ctx.webhooks.remove(request.params.id)) throw new ApiError(404, 'NOT_FOUND', `no webhook ${request.params.id}`, { field: 'params.id', hint: 'list webhooks with GET /api/webhooks' });
    return reply.status(204).send(null);
  });

  app.get('/api/webhooks/:id/deliveries', {
    config: { scope: 'admin' },
    schema: {
      summary: 'the delivery log of a webhook, newest first',
      tags: ['webhooks'], params: idParams,
      response: { 200: z.object({ deliveries: z.array(z.object({ id: z.string(), event: z.string(), ok: z.boolean(), status: z.number().nullable(), attempts: z.number(), error: z.string().nullable(), at: z.string() })) }), ...errorReplies(400, 401, 403, 404) },
    },
  }, async (request) => {
    if (!ctx.webhooks.list().some((w) => w.id === request.params.id)) throw new ApiError(404, 'NOT_FOUND', `no webhook ${request.params.id}`, { field: 'params.id', hint: 'list webhooks with GET /api/webhooks' });
    return { deliveries: ctx.webhooks.deliveries(request.params.id).map(({ webhook: _w, ...d }) => d) };
  });
}
