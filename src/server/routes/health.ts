import { z } from 'zod';
import { ComfyClient } from '../../comfy/client/index.js';
import type { Api } from '../api.js';
import type { ServerContext } from '../server-context.js';

/** Probes each worker's /system_stats with a short timeout: ready or not, and why. */
export async function probeWorkers(ctx: ServerContext, timeoutMs = 2_000): Promise<{ name: string; url: string; ready: boolean; reason?: string; stats?: unknown }[]> {
  return Promise.all((await ctx.workers()).map(async (w) => {
    const client = new ComfyClient({ url: w.url, name: w.name }, { requestTimeoutMs: timeoutMs, getRetries: 0, socket: false });
    try {
      const stats = await client.systemStats();
      return { name: w.name, url: w.url, ready: true, stats };
    } catch (error) {
      return { name: w.name, url: w.url, ready: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      client.close();
    }
  }));
}

export function healthRoutes(app: Api, ctx: ServerContext): void {
  app.get('/healthz', {
    config: { scope: 'public' },
    schema: { summary: 'the process is alive', tags: ['health'], response: { 200: z.object({ ok: z.literal(true) }) } },
  }, async () => ({ ok: true as const }));

  app.get('/readyz', {
    config: { scope: 'public' },
    schema: {
      summary: 'the engine and the queue are up and at least one worker is ready',
      tags: ['health'],
      response: { 200: z.object({ ready: z.boolean(), workers: z.array(z.object({ name: z.string(), ready: z.boolean() })) }), 503: z.object({ ready: z.boolean(), workers: z.array(z.object({ name: z.string(), ready: z.boolean() })) }) },
    },
  }, async (_request, reply) => {
    const workers = (await probeWorkers(ctx)).map((w) => ({ name: w.name, ready: w.ready }));
    const ready = workers.some((w) => w.ready);
    return reply.status(ready ? 200 : 503).send({ ready, workers });
  });
}
