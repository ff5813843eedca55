import { z } from 'zod';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import { checkProjectId } from '../projects/project-dirs.js';
import { streamEvents } from '../events/sse-stream.js';
import type { ServerContext } from '../server-context.js';

/** Live events over SSE, replayed from the persisted log after `Last-Event-ID`. */
export function eventRoutes(app: Api, ctx: ServerContext, options: { heartbeatMs: number; maxBufferedBytes: number; open: Set<() => void> }): void {
  app.get('/api/events', {
    config: { scope: 'read' },
    schema: {
      summary: 'server-sent events: runs, tasks, progress, previews, workers, alerts',
      description: 'One stream per project (?project=) plus global events, or every event. Each event has a monotonically increasing id; reconnect with the Last-Event-ID header (or ?lastEventId=) to get every missed event once, in order, also across server restarts.',
      tags: ['events'],
      querystring: z.strictObject({
        project: z.string().optional().describe('only this project\'s events (and global ones)'),
        lastEventId: z.coerce.number().int().min(0).optional().describe('resume after this event id (instead of the Last-Event-ID header)'),
      }),
      headers: z.object({ 'last-event-id': z.string().regex(/^\d{1,15}$/).optional() }).passthrough(),
      response: { 200: z.any().describe('text/event-stream'), ...errorReplies(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const { project } = request.query;
    if (project !== undefined) {
      checkProjectId(project, 'query.project');
      if (!ctx.projects.exists(project)) throw new ApiError(404, 'NOT_FOUND', `project '${project}' not found`, { field: 'query.project', hint: 'list projects with GET /api/projects' });
    }
    const header = request.headers['last-event-id'];
    const afterId = request.query.lastEventId ?? (header ? Number(header) : ctx.events.lastId());
    streamEvents(request, reply, ctx.events, { project, afterId, ...options });
  });
}
