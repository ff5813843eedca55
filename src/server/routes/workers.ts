import { z } from 'zod';
import type { Api } from '../api.js';
import { errorReplies } from '../api-schemas.js';
import type { ServerContext } from '../server-context.js';
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

export function workerRoutes(app: Api, ctx: ServerContext): void {
  app.get('/api/workers', {
    config: { scope: 'read' },
    schema: { summary: 'workers with readiness, ComfyUI version, GPUs and VRAM', tags: ['workers'], response: { 200: z.object({ workers: z.array(workerReply) }), ...errorReplies(401, 403) } },
  }, async () => {
    const probes = await probeWorkers(ctx);
    return {
      workers: probes.map((p, i) => {
        const stats = p.stats as { system?: { comfyui_version?: string }; devices?: { name: string; type: string; vram_total: number; vram_free: number }[] } | undefined;
        return {
          name: p.name, url: publicUrl(ctx.workers[i]!.url), ready: p.ready, ...(p.reason ? { reason: p.reason } : {}),
          ...(stats?.system?.comfyui_version ? { comfyuiVersion: stats.system.comfyui_version } : {}),
          devices: (stats?.devices ?? []).map((d) => ({ name: d.name, type: d.type, vramTotal: d.vram_total, vramFree: d.vram_free })),
        };
      }),
    };
  });
}
