import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { filesForFolder } from '../catalog/models/index.js';
import type { StoryCoreConfig } from '../config/index.js';
import { startSimWorkers } from '../engine/sim-workers.js';
import type { Emulator, GpuProfileId } from '../sim/index.js';
import { buildServer, type StoryCoreServer } from './app.js';
import { ApiError } from './errors/api-error.js';

export interface ServeOptions {
  config: StoryCoreConfig;
  cwd: string;
  host?: string;
  port?: number;
  /** Emulated workers shared by every project (`--sim N`). */
  sim?: { workers: number; profile: GpuProfileId; timeScale: number };
  insecureNoAuth?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** First retry delay of webhook deliveries (tests shorten it). */
  webhookRetryBaseMs?: number;
  /** Told once: the first admin key, the URL, warnings. Never logged. */
  announce?(line: string): void;
}

export interface RunningServer extends StoryCoreServer {
  url: string;
  emulators: readonly Emulator[];
  /** The admin key created at first start (only then). */
  firstKey?: string;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/**
 * `storycore serve`: the API on 127.0.0.1 by default. Another address is refused unless an API
 * key exists (or --insecure-no-auth, loudly). With `sim` the emulated workers are shared by
 * every project, so the counters show each prompt once. Runs left running by a killed server
 * are resumed.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? options.config.server.host;
  const port = options.port ?? options.config.server.port;
  const announce = options.announce ?? (() => undefined);
  const emulators = options.sim
    ? await startSimWorkers({ count: options.sim.workers, profile: options.sim.profile, timeScale: options.sim.timeScale, models: filesForFolder(), previewMethod: 'auto' })
    : [];
  try {
    const config: StoryCoreConfig = options.sim
      ? { ...options.config, workers: emulators.map((e) => ({ name: e.name, url: e.url, tags: [], headers: {}, maxQueued: 2 })) as StoryCoreConfig['workers'] }
      : options.config;
    const server = await buildServer({
      config,
      projectsDir: resolve(options.cwd, config.server.projectsDir),
      stateDir: resolve(options.cwd, config.paths.dataDir),
      cwd: options.cwd,
      simulated: options.sim !== undefined,
      insecureNoAuth: options.insecureNoAuth === true,
      logger: options.logger,
      corsOrigins: config.server.corsOrigins,
      rateLimitPerMinute: config.server.rateLimitPerMinute,
      authFailuresPerMinute: config.server.authFailuresPerMinute,
      ...(options.webhookRetryBaseMs ? { webhookRetryBaseMs: options.webhookRetryBaseMs } : {}),
    });
    let firstKey: string | undefined;
    if (options.insecureNoAuth) {
      server.app.log.warn('--insecure-no-auth: every request is treated as admin; do not expose this server');
      announce('WARNING: --insecure-no-auth: every request is admin. Anyone who can reach this address controls the server.');
    } else if (!server.ctx.keys.hasActiveKey()) {
      if (!isLoopback(host)) {
        await server.close();
        throw new ApiError(400, 'SERVE_NEEDS_KEY', `refusing to listen on ${host} with no API key`, {
          hint: 'create a key first with storycore keys create --name admin --scope admin, or bind 127.0.0.1',
        });
      }
      firstKey = server.ctx.keys.create({ name: 'admin (first start)', scopes: ['admin'] }).key;
      announce(`first start: created an admin API key (shown once, store it now): ${firstKey}`);
    }
    const resumed = server.ctx.runs.resumeInterrupted();
    if (resumed.length) announce(`resumed ${resumed.length} run(s) left running: ${resumed.map((r) => r.id).join(', ')}`);
    const address = await server.app.listen({ host, port });
    const url = address.replace('[::1]', 'localhost');
    return {
      ...server, url, emulators, ...(firstKey ? { firstKey } : {}),
      async close() {
        await server.close();
        await Promise.all(emulators.map((e) => e.close()));
      },
    };
  } catch (error) {
    await Promise.all(emulators.map((e) => e.close()));
    throw error;
  }
}
