import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer: a fixture file (test/story/fixtures/<name>.json) with a status, or silence. */
export type RecordedReply = { fixture: string; status?: number } | { hang: true };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: { model?: string; temperature?: number; messages?: Array<{ role: string; content: string }>; response_format?: { type: string } };
}

export interface RecordedResponder {
  /** Base URL to configure as planner.llm.url, e.g. http://127.0.0.1:40123/v1 */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'));
}

/**
 * An OpenAI-style endpoint on 127.0.0.1 that answers `POST /v1/chat/completions` with the
 * recorded replies in order, and keeps every request for assertions.
 */
export async function startRecordedResponder(replies: RecordedReply[]): Promise<RecordedResponder> {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as RecordedRequest['body']) : {} });
      const reply = queue.shift();
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions' || !reply) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no recorded reply for ${req.method} ${req.url}` } }));
        return;
      }
      if ('hang' in reply) {
        hanging.push(res);
        return;
      }
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(fixture(reply.fixture)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
