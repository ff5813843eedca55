import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseKeepingLiterals } from '../../comfy/py-literals.js';
import { pyDumps } from './py-json.js';

/**
 * The reply conventions of ComfyUI's aiohttp server: JSON with charset, bare statuses with an
 * empty `application/octet-stream` body, and aiohttp's own 500 page for handler exceptions.
 */
export const SERVER_HEADER = 'StoryCore-Emulator (ComfyUI 0.3.64)';

export interface SimRequest {
  method: string;
  /** Path without the `/api` prefix. */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  raw: IncomingMessage;
  body(): Promise<Buffer>;
}

export type Handler = (req: SimRequest, res: ServerResponse) => Promise<void> | void;

/** Thrown by handlers where Python would raise: answered with aiohttp's 500 page. */
export class HandlerCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerCrash';
  }
}

export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = Buffer.from(pyDumps(value), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    Server: SERVER_HEADER,
  });
  res.end(body);
}

/** `web.Response(status=N)`: empty body, octet-stream content type. */
export function sendBare(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': 0, Server: SERVER_HEADER });
  res.end();
}

export function sendBytes(res: ServerResponse, body: Buffer, contentType: string, headers: Record<string, string | number> = {}, status = 200): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length, Server: SERVER_HEADER, ...headers });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, Server: SERVER_HEADER, ...extra });
  res.end(body);
}

/** aiohttp's answer to an unhandled exception in a handler. */
export function sendServerError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendText(res, 500, '500 Internal Server Error\n\nServer got itself in trouble', { Connection: 'close' });
}

/** Parses a JSON body the way `await request.json()` does: anything unparsable is a crash. */
export async function readJson(req: SimRequest, options: { keepLiterals?: boolean } = {}): Promise<unknown> {
  const text = (await req.body()).toString('utf8');
  try {
    return options.keepLiterals ? parseKeepingLiterals(text) : (JSON.parse(text) as unknown);
  } catch {
    throw new HandlerCrash('body is not JSON');
  }
}

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** Routes with `{param}` segments; every route answers at `/x` and `/api/x` unless `internal`. */
export class RouteTable {
  private readonly routes: Route[] = [];
  private readonly internal: Route[] = [];

  add(method: string, pattern: string, handler: Handler, options: { internal?: boolean } = {}): void {
    const route = { method, segments: pattern.split('/').filter(Boolean), handler };
    (options.internal ? this.internal : this.routes).push(route);
  }

  /** Returns the handler and params, or `'method'` when the path exists with another method. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string>; path: string } | 'method' | undefined {
    const segments = pathname.split('/').filter(Boolean);
    const candidates: Array<{ table: Route[]; segments: string[] }> = [{ table: this.internal, segments }, { table: this.routes, segments }];
    if (segments[0] === 'api') candidates.push({ table: this.routes, segments: segments.slice(1) });
    let methodMismatch = false;
    for (const { table, segments: segs } of candidates) {
      for (const route of table) {
        const params = matchSegments(route.segments, segs);
        if (!params) continue;
        const wanted = method === 'HEAD' ? 'GET' : method;
        if (route.method !== wanted) {
          methodMismatch = true;
          continue;
        }
        return { handler: route.handler, params, path: `/${segs.join('/')}` };
      }
    }
    return methodMismatch ? 'method' : undefined;
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith('{') && p.endsWith('}')) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p !== a) return undefined;
  }
  return params;
}
