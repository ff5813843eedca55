/* eslint-disable @typescript-eslint/no-explicit-any -- replies are read as the JSON the API sends; the schemas are tested by openapi.test.ts */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config/index.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
import type { Scope } from '../../../src/server/auth/scopes.js';

export interface Harness {
  server: RunningServer;
  dir: string;
  keys: Record<Scope, string>;
  logs: string[];
  /** What the server told the terminal (the first admin key, warnings). */
  announced: string[];
  call(method: string, path: string, options?: { key?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** A real server on a loopback port with `sim` emulated workers, in a temporary folder. */
export async function startHarness(options: { allowPrivateUrls?: boolean; leaseMs?: number; workers?: { name: string; url: string }[]; sim?: number; timeScale?: number; dir?: string; rateLimitPerMinute?: number; authFailuresPerMinute?: number } = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'storycore-server-'));
  const { config } = loadConfig({ cwd: dir, env: {} });
  config.sim.timeScale = options.timeScale ?? 0.02;
  if (options.allowPrivateUrls) config.server.allowPrivateUrls = true;
  if (options.leaseMs) Object.assign(config.queue, { leaseMs: options.leaseMs, heartbeatMs: Math.floor(options.leaseMs / 3) });
  if (options.workers) config.workers = options.workers.map((w) => ({ ...w, tags: [], headers: {}, maxQueued: 2 })) as typeof config.workers;
  if (options.rateLimitPerMinute) config.server.rateLimitPerMinute = options.rateLimitPerMinute;
  if (options.authFailuresPerMinute) config.server.authFailuresPerMinute = options.authFailuresPerMinute;
  const logs: string[] = [];
  const announced: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { logs.push(chunk.toString()); done(); } });
  const server = await startServer({
    config, cwd: dir, port: 0,
    ...(options.sim === 0 || options.workers ? {} : { sim: { workers: options.sim ?? 2, profile: 'rtx4090', timeScale: config.sim.timeScale } }),
    logger: { level: 'info', stream },
    webhookRetryBaseMs: 10,
    announce: (line) => announced.push(line),
  });
  // Keys live in the server's state folder: a harness started again on the same folder reuses them.
  const known = reused.get(dir);
  const keys = known ?? {
    read: server.ctx.keys.create({ name: 'read', scopes: ['read'] }).key,
    generate: server.ctx.keys.create({ name: 'generate', scopes: ['generate'] }).key,
    admin: server.ctx.keys.create({ name: 'admin', scopes: ['admin'] }).key,
  };
  reused.set(dir, keys);
  const call: Harness['call'] = async (method, path, o = {}) => {
    const key = o.key === undefined ? keys.admin : o.key;
    const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers };
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}) });
    const text = await res.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body, headers: res.headers };
  };
  return {
    server, dir, keys, logs, announced, call,
    async stop() {
      await server.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const reused = new Map<string, Record<Scope, string>>();

export interface SseEvent { id: number; event: string; data: any }

/**
 * Reads an SSE stream until `until` says stop (or the stream ends); returns the events.
 * Aborts the connection afterwards, like a client that goes away.
 */
export async function readEvents(url: string, key: string, options: { lastEventId?: number; until(events: SseEvent[]): boolean; timeoutMs?: number }): Promise<SseEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 90_000);
  const events: SseEvent[] = [];
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, ...(options.lastEventId !== undefined ? { 'last-event-id': String(options.lastEventId) } : {}) }, signal: abort.signal });
    if (res.status !== 200) throw new Error(`SSE answered ${res.status}: ${await res.text()}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]));
        if (fields.id === undefined) continue;
        events.push({ id: Number(fields.id), event: fields.event ?? 'message', data: JSON.parse(fields.data ?? 'null') });
      }
      if (options.until(events)) break;
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

export const runEnded = (runId: string) => (events: SseEvent[]) =>
  events.some((e) => e.event === 'run' && e.data.run === runId && ['completed', 'failed', 'cancelled'].includes(e.data.state));
