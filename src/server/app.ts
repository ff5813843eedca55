import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { StoryCoreConfig } from '../config/index.js';
import { Engine } from '../engine.js';
import { storycoreVersion } from '../assets/storycore-version.js';
import type { Api } from './api.js';
import { AuthFailures, authenticate } from './auth/authenticate.js';
import { KeyStore } from './auth/key-store.js';
import { sendError } from './error-reply.js';
import { EventLog } from './events/event-log.js';
import { ProjectDirs } from './projects/project-dirs.js';
import { assetRoutes } from './routes/assets.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { keyRoutes } from './routes/keys.js';
import { metricRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { projectRoutes } from './routes/projects.js';
import { referenceRoutes } from './routes/references.js';
import { runRoutes } from './routes/runs.js';
import { shotRoutes } from './routes/shots.js';
import { storyRoutes } from './routes/story.js';
import { templateRoutes } from './routes/templates.js';
import { workerRoutes } from './routes/workers.js';
import { RunRegistry } from './runs/run-registry.js';
import { webhookRoutes } from './routes/webhooks.js';
import { WebhookDispatch } from './webhooks/webhook-dispatch.js';
import { WebhookStore } from './webhooks/webhook-store.js';
import type { ServerContext } from './server-context.js';

export interface BuildServerOptions {
  config: StoryCoreConfig;
  /** Where the projects live (server.projectsDir, resolved). */
  projectsDir: string;
  /** Where server.db (keys, events, runs) lives. */
  stateDir: string;
  /** Where relative config paths resolve (paths.dataDir). */
  cwd: string;
  simulated?: boolean;
  insecureNoAuth?: boolean;
  /** pino options, or a destination for tests; false for silence. */
  logger?: FastifyServerOptions['logger'];
  /** Allowed CORS origins; none = CORS off. */
  corsOrigins?: string[];
  heartbeatMs?: number;
  sseMaxBufferedBytes?: number;
  /** Requests per key (or address) per minute. */
  rateLimitPerMinute?: number;
  authFailuresPerMinute?: number;
  /** First retry delay of webhook deliveries (tests shorten it). */
  webhookRetryBaseMs?: number;
}

export interface StoryCoreServer {
  app: Api;
  ctx: ServerContext;
  close(): Promise<void>;
}

const SECRET_PATHS = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'headers.authorization'];

/**
 * The HTTP interface: fastify with zod schemas for every body, query and reply, the OpenAPI
 * document generated from them, scoped API keys on every route, one error shape. It holds no
 * business logic: every behaviour is the engine's, as the CLI calls it.
 */
export async function buildServer(options: BuildServerOptions): Promise<StoryCoreServer> {
  mkdirSync(options.stateDir, { recursive: true });
  const dbPath = join(options.stateDir, 'server.db');
  const keys = new KeyStore(dbPath);
  const events = new EventLog(dbPath);
  const projects = new ProjectDirs(options.projectsDir);
  const runs = new RunRegistry(dbPath, { config: options.config, projects, events });
  const webhooks = new WebhookStore(dbPath);
  const dispatch = new WebhookDispatch(webhooks, events, options.webhookRetryBaseMs ? { baseDelayMs: options.webhookRetryBaseMs } : {});
  const ctx: ServerContext = {
    config: options.config, projects, events, runs, keys, webhooks, cwd: options.cwd,
    workers: async () => (await Engine.configuredWorkers(options.config, options.cwd)).map((w) => ({ name: w.name, url: typeof w.endpoint === 'string' ? w.endpoint : w.endpoint.url })),
    noAuth: options.insecureNoAuth === true, simulated: options.simulated === true,
  };

  const logger = options.logger === undefined ? false : options.logger;
  const app = Fastify({
    logger: logger === false || logger === true ? logger : { redact: { paths: SECRET_PATHS, censor: '[redacted]' }, ...(logger as object) },
    bodyLimit: options.config.server.bodyLimitBytes,
    genReqId: () => `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>() as unknown as Api;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}`, fix: 'see the routes in /api/openapi.json' }));

  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'blob:'] } } });
  if (options.corsOrigins?.length) await app.register(fastifyCors, { origin: options.corsOrigins });
  await app.register(fastifyRateLimit, {
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const auth = request.headers.authorization ?? request.headers['x-api-key'];
      const id = typeof auth === 'string' ? /sck_([0-9a-f]{12})_/.exec(auth)?.[1] : undefined;
      return id ? `key:${id}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429, code: 'RATE_LIMITED', message: `rate limit: ${context.max} requests a minute`, fix: `wait ${Math.ceil(context.ttl / 1000)} s (see Retry-After)`,
    }),
  });
  await app.register(fastifyMultipart, { limits: { fileSize: options.config.server.uploadLimitBytes, files: 1, fields: 10, parts: 12 } });
  await app.register(fastifyStatic, { root: projects.root, serve: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'StoryCore Engine API', version: storycoreVersion(), description: 'Drive StoryCore: projects, stories, runs, assets, workers, live events. Every route needs an API key (Authorization: Bearer sck_…) with the scope it names, except /healthz and /readyz.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'a key from `storycore keys create`' } } },
      security: [{ apiKey: [] }],
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const scope = (input.route.config as { scope?: string } | undefined)?.scope;
      if (scope) (out.schema as Record<string, unknown>)['x-scope'] = scope;
      if (scope === 'public') (out.schema as Record<string, unknown>).security = [];
      return out;
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  const failures = new AuthFailures(options.authFailuresPerMinute ?? 20);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config as object), scope: 'public' } as never;
  });
  app.addHook('onRequest', authenticate(ctx, failures));

  app.get('/api/openapi.json', { config: { scope: 'public' }, schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, ctx);
  projectRoutes(app, ctx);
  storyRoutes(app, ctx);
  referenceRoutes(app, ctx);
  runRoutes(app, ctx);
  shotRoutes(app, ctx);
  jobRoutes(app, ctx);
  assetRoutes(app, ctx);
  workerRoutes(app, ctx);
  templateRoutes(app, ctx);
  modelRoutes(app, ctx);
  metricRoutes(app, ctx);
  keyRoutes(app, ctx);
  webhookRoutes(app, ctx);
  const streams = new Set<() => void>();
  eventRoutes(app, ctx, { heartbeatMs: options.heartbeatMs ?? 15_000, maxBufferedBytes: options.sseMaxBufferedBytes ?? 4 * 1024 * 1024, open: streams });
  await app.ready();

  return {
    app, ctx,
    async close() {
      for (const end of [...streams]) end();
      await runs.detachAll();
      await app.close();
      await dispatch.close();
      webhooks.close();
      runs.close();
      events.close();
      keys.close();
    },
  };
}
