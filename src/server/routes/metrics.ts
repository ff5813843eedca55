import { z } from 'zod';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import type { ServerContext } from '../server-context.js';

/** Server metrics as JSON and in Prometheus' text format. */
export function metricRoutes(app: Api, ctx: ServerContext): void {
  const snapshot = async () => {
    const runs = ctx.runs.list();
    const byState: Record<string, number> = {};
    for (const r of runs) byState[r.state] = (byState[r.state] ?? 0) + 1;
    return { projects: ctx.projects.list().length, runs: byState, lastEventId: ctx.events.lastId(), workers: (await ctx.workers()).length };
  };

  app.get('/api/metrics', {
    config: { scope: 'read' },
    schema: { summary: 'server metrics (JSON)', tags: ['metrics'], response: { 200: z.object({ projects: z.number(), runs: z.record(z.string(), z.number()), lastEventId: z.number(), workers: z.number() }), ...errorReplies(401, 403) } },
  }, async () => await snapshot());

  app.get('/metrics', {
    config: { scope: 'read' },
    schema: { summary: 'server metrics (Prometheus text format)', tags: ['metrics'], response: { 200: z.string(), ...errorReplies(401, 403) } },
  }, async (_request, reply) => {
    const s = await snapshot();
    const lines = [
      '# HELP storycore_projects Projects in server.projectsDir.', '# TYPE storycore_projects gauge', `storycore_projects ${s.projects}`,
      '# HELP storycore_runs Runs by state (last 200).', '# TYPE storycore_runs gauge',
      ...Object.entries(s.runs).map(([state, n]) => `storycore_runs{state="${state}"} ${n}`),
      '# HELP storycore_events_total Events emitted.', '# TYPE storycore_events_total counter', `storycore_events_total ${s.lastEventId}`,
      '# HELP storycore_workers Workers configured.', '# TYPE storycore_workers gauge', `storycore_workers ${s.workers}`,
    ];
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
