import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { HandlerCrash, RouteTable, sendBare, sendServerError, sendText, SERVER_HEADER, type SimRequest } from './http-kit.js';

/** `--max-upload-size` default (100 MB): larger bodies get 413. */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;

export interface HttpServerOptions {
  routes: RouteTable;
  /** `--max-upload-size` in bytes; default MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Called for each accepted `/ws` or `/api/ws` upgrade. */
  onSocket(ws: import('ws').WebSocket, clientId: string | null): void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hostPart(value: string): { host: string; port: string | undefined } {
  const withoutScheme = value.replace(/^[a-z]+:\/\//i, '');
  const authority = withoutScheme.split('/')[0] ?? '';
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  return { host: (match?.[1] ?? authority).toLowerCase(), port: match?.[2] };
}

/** ComfyUI's origin-only middleware: a loopback Host with a foreign Origin gets an empty 403. */
function originRejected(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const origin = req.headers.origin;
  if (!host || !origin) return false;
  const h = hostPart(host);
  if (!LOOPBACK.has(h.host)) return false;
  const o = hostPart(origin);
  if (o.host !== h.host) return true;
  return o.port !== undefined && h.port !== undefined && o.port !== h.port;
}

/**
 * Reads a request body of at most `limit` bytes. A larger body is drained (not kept) to its
 * end before BodyTooLarge is raised, so the client, still sending, gets its 413 instead of a
 * connection reset.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let crossedAt: number | undefined;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (crossedAt !== undefined) return;
      if (size > limit) {
        crossedAt = size;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (crossedAt === undefined ? resolve(Buffer.concat(chunks)) : reject(new BodyTooLarge(limit, crossedAt))));
    req.on('error', reject);
  });
}

/** aiohttp's HTTPRequestEntityTooLarge: its text names the limit and the size read when it was crossed. */
class BodyTooLarge extends Error {
  constructor(
    readonly maxSize: number,
    readonly actualSize: number,
  ) {
    super(`Maximum request body size ${maxSize} exceeded, actual body size ${actualSize}`);
  }
}

/**
 * The HTTP side of the emulator on node:http (not a framework) so status codes, empty
 * bodies and content types can be exactly aiohttp's. Tracks every TCP socket so a 'crash'
 * can cut them all.
 */
export class EmulatorHttpServer {
  readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Socket>();

  constructor(private readonly options: HttpServerOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.connections.add(socket);
      socket.on('close', () => this.connections.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Closes the listener and destroys every connection at once (a dead worker, or shutdown). */
  async destroy(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.connections) socket.destroy();
    this.server.closeAllConnections?.();
    await closed;
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if ((url.pathname !== '/ws' && url.pathname !== '/api/ws') || originRejected(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const clientId = url.searchParams.get('clientId');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.options.onSocket(ws, clientId ? clientId : null));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // aiohttp keeps HTTP/1.1 connections open without saying so; Node would add
    // `Connection: keep-alive` and `Keep-Alive: timeout=5`. The connection stays reusable.
    res.removeHeader('Connection');
    try {
      const method = req.method ?? 'GET';
      if (originRejected(req)) return sendBare(res, 403);
      if (method === 'OPTIONS') return sendBare(res, 200);
      const url = new URL(req.url ?? '/', 'http://emulator');
      const matched = this.options.routes.match(method, url.pathname);
      if (matched === undefined) return sendText(res, 404, '404: Not Found');
      if (matched === 'method') return sendText(res, 405, '405: Method Not Allowed', { Allow: 'GET, POST' });
      let body: Promise<Buffer> | undefined;
      const simReq: SimRequest = {
        method,
        path: matched.path,
        query: url.searchParams,
        params: matched.params,
        headers: req.headers,
        raw: req,
        body: () => (body ??= readBody(req, this.options.maxBodyBytes ?? MAX_BODY_BYTES)),
      };
      if (method === 'HEAD') {
        // aiohttp answers HEAD with the GET headers and no body.
        const end = res.end.bind(res);
        res.end = ((..._args: unknown[]) => end()) as typeof res.end;
        res.write = (() => true) as typeof res.write;
      }
      await matched.handler(simReq, res);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        if (!res.headersSent) sendText(res, 413, error.message, { Connection: 'close' });
        return;
      }
      if (!(error instanceof HandlerCrash)) {
        // An emulator bug still answers like aiohttp would, but must not go unnoticed.
        process.emitWarning(`ComfyUI emulator handler failed: ${(error as Error).stack ?? String(error)}`);
      }
      sendServerError(res);
    }
  }
}

export { SERVER_HEADER };
