import { z } from 'zod';
import { objectInfoSchema } from '../object-info/schema.js';
import { historySchema, queueItemSchema } from './history.js';
import { byteCountSchema, promptIdSchema } from './primitives.js';
import { nodeErrorsSchema, promptErrorBodySchema } from './prompt-errors.js';

/**
 * zod schemas of every HTTP response body of ComfyUI (reference §2, checked against the real
 * 0.3.64 transcripts). Objects are loose: newer servers add keys and we must not break on them.
 */

const deviceSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  index: z.number().int().nullable(),
  vram_total: byteCountSchema,
  vram_free: byteCountSchema,
  torch_vram_total: byteCountSchema,
  torch_vram_free: byteCountSchema,
});

export const systemStatsSchema = z.looseObject({
  system: z.looseObject({
    os: z.string(),
    ram_total: byteCountSchema,
    ram_free: byteCountSchema,
    // Version fields appeared over time; older workers omit them.
    comfyui_version: z.string().optional(),
    required_frontend_version: z.string().nullable().optional(),
    installed_templates_version: z.string().nullable().optional(),
    required_templates_version: z.string().nullable().optional(),
    python_version: z.string(),
    pytorch_version: z.string(),
    embedded_python: z.boolean(),
    argv: z.array(z.string()),
  }),
  devices: z.array(deviceSchema),
});

export const queueSchema = z.looseObject({
  queue_running: z.array(queueItemSchema),
  queue_pending: z.array(queueItemSchema),
});

export const execInfoSchema = z.looseObject({ queue_remaining: z.number().int() });

/** `GET /prompt`. */
export const promptInfoSchema = z.looseObject({ exec_info: execInfoSchema });

/** `POST /prompt` 200: `node_errors` may be non-empty when some outputs were dropped. */
export const promptAcceptedSchema = z.looseObject({
  prompt_id: promptIdSchema,
  number: z.number(),
  node_errors: nodeErrorsSchema.default({}),
});

/** `GET /features`; also the WS `feature_flags` reply. `max_upload_size` is int or float. */
export const featuresSchema = z.looseObject({
  supports_preview_metadata: z.boolean().optional(),
  max_upload_size: z.number().optional(),
});

export const stringListSchema = z.array(z.string());

/** `POST /upload/image` and `/upload/mask`. */
export const uploadResponseSchema = z.looseObject({
  name: z.string(),
  subfolder: z.string(),
  type: z.string(),
});

export const experimentModelFoldersSchema = z.array(z.looseObject({ name: z.string(), folders: z.array(z.string()) }));
export const experimentModelFilesSchema = z.array(
  z.looseObject({ name: z.string(), pathIndex: z.number().int(), modified: z.number().optional(), created: z.number().optional(), size: z.number().optional() }),
);
export const logsRawSchema = z.looseObject({
  entries: z.array(z.looseObject({ t: z.string(), m: z.string() })),
  size: z.looseObject({ cols: z.number(), rows: z.number() }).nullable(),
});

/** For empty 200 bodies (`/interrupt`, `/free`, `POST /queue`, `POST /history`). */
export const emptyBodySchema = z.undefined();

/** For routes whose body is a file, not JSON (`/view`, static pages). */
export const binaryBodySchema = z.instanceof(Uint8Array);

export interface RouteSchema {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path as registered, with `{param}` placeholders and without the `/api` prefix. */
  path: string;
  /** false for `/internal/*`, which is not duplicated under `/api`. */
  apiPrefixed: boolean;
  response: z.ZodType;
  /** JSON bodies of documented error statuses (only `POST /prompt` has one). */
  errors?: Partial<Record<number, z.ZodType>>;
}

const any = z.unknown();

function route(method: RouteSchema['method'], path: string, response: z.ZodType, extra: Partial<RouteSchema> = {}): RouteSchema {
  return { method, path, apiPrefixed: !path.startsWith('/internal'), response, ...extra };
}

export const routeSchemas: readonly RouteSchema[] = [
  route('GET', '/system_stats', systemStatsSchema),
  route('GET', '/queue', queueSchema),
  route('POST', '/queue', emptyBodySchema),
  route('GET', '/prompt', promptInfoSchema),
  route('POST', '/prompt', promptAcceptedSchema, { errors: { 400: promptErrorBodySchema } }),
  route('POST', '/interrupt', emptyBodySchema),
  route('POST', '/free', emptyBodySchema),
  route('GET', '/history', historySchema),
  route('GET', '/history/{prompt_id}', historySchema),
  route('POST', '/history', emptyBodySchema),
  route('GET', '/features', featuresSchema),
  route('GET', '/embeddings', stringListSchema),
  route('GET', '/extensions', stringListSchema),
  route('GET', '/models', stringListSchema),
  route('GET', '/models/{folder}', stringListSchema),
  route('GET', '/object_info', objectInfoSchema),
  route('GET', '/object_info/{node_class}', objectInfoSchema),
  route('POST', '/upload/image', uploadResponseSchema),
  route('POST', '/upload/mask', uploadResponseSchema),
  route('GET', '/view', binaryBodySchema),
  route('GET', '/view_metadata/{folder_name}', z.record(z.string(), z.unknown())),
  route('GET', '/experiment/models', experimentModelFoldersSchema),
  route('GET', '/experiment/models/{folder}', experimentModelFilesSchema),
  route('GET', '/workflow_templates', z.record(z.string(), z.array(z.string()))),
  route('GET', '/i18n', z.record(z.string(), any)),
  route('GET', '/users', z.looseObject({ storage: z.string() })),
  route('POST', '/users', z.string()),
  route('GET', '/settings', z.record(z.string(), any)),
  route('GET', '/settings/{id}', any),
  route('POST', '/settings', emptyBodySchema),
  route('POST', '/settings/{id}', emptyBodySchema),
  route('GET', '/userdata', z.array(any)),
  route('GET', '/v2/userdata', z.array(z.looseObject({ name: z.string(), path: z.string(), type: z.enum(['file', 'directory']) }))),
  route('GET', '/internal/logs', z.string()),
  route('GET', '/internal/logs/raw', logsRawSchema),
  route('PATCH', '/internal/logs/subscribe', emptyBodySchema),
  route('GET', '/internal/folder_paths', z.record(z.string(), z.array(z.union([z.string(), z.array(z.string())])))),
  route('GET', '/internal/files/{directory_type}', stringListSchema),
];

const compiled = routeSchemas.map((r) => ({
  route: r,
  pattern: new RegExp(`^${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z_]+\}/g, '[^/]+')}$`),
}));

/**
 * The route a request path belongs to: accepts bare (`/queue`) and `/api`-prefixed
 * (`/api/queue`) paths, with path params and a query string (`/api/history/abc?x=1`).
 */
export function findRoute(method: string, path: string): RouteSchema | undefined {
  const bare = stripApiPrefix(path.split('?')[0] ?? path);
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return compiled.find((c) => c.route.method === m && c.pattern.test(bare.path) && (c.route.apiPrefixed || !bare.hadPrefix))?.route;
}

/**
 * zod schema of the body a route answers with `status` (default 200), or undefined when the
 * route is unknown or the status has no documented JSON body.
 *
 * @example schemaForRoute('GET', '/api/history/8d3f…')?.parse(json)
 */
export function schemaForRoute(method: string, path: string, status = 200): z.ZodType | undefined {
  const r = findRoute(method, path);
  if (!r) return undefined;
  if (status >= 200 && status < 300) return r.response;
  return r.errors?.[status];
}

function stripApiPrefix(path: string): { path: string; hadPrefix: boolean } {
  if (path === '/api' || path === '/api/') return { path: '/', hadPrefix: true };
  return path.startsWith('/api/') ? { path: path.slice(4), hadPrefix: true } : { path, hadPrefix: false };
}

export type SystemStats = z.infer<typeof systemStatsSchema>;
export type QueueState = z.infer<typeof queueSchema>;
export type PromptInfo = z.infer<typeof promptInfoSchema>;
export type PromptAccepted = z.infer<typeof promptAcceptedSchema>;
export type Features = z.infer<typeof featuresSchema>;
export type UploadResponse = z.infer<typeof uploadResponseSchema>;
