import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadToFile, type DownloadRequest } from './download.js';
import { silentLogger } from './logger.js';
import { chunkedResponsePieces } from '../../../test/support/chunked-wire.js';

// Wire-level behaviour of downloads against a raw loopback server (the ComfyUI stub in
// comfy-client.test.ts covers the usual path through ComfyClient).

let dir: string;
let server: net.Server | undefined;
const sockets = new Set<net.Socket>();
/** The request heads the server received, in order. */
const requests: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'download-'));
  requests.length = 0;
});

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** One answer: byte pieces written with a short pause between them, then the connection ends (or is cut, or stalls). */
interface Answer {
  pieces: Array<string | Buffer>;
  after?: 'end' | 'cut' | 'stall';
}

/** A raw HTTP server answering the n-th request with `answers[n]` (the last one repeats), each on its own connection. */
async function serve(answers: Answer[]): Promise<string> {
  server = net.createServer((socket) => {
    sockets.add(socket);
    let head = '';
    socket.on('error', () => {});
    socket.on('data', async (d) => {
      if (head.includes('\r\n\r\n')) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      requests.push(head);
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
      for (const p of answer.pieces) {
        if (socket.destroyed) return;
        socket.write(p);
        await new Promise((r) => setTimeout(r, 5));
      }
      if (answer.after === 'cut') socket.destroy();
      else if (answer.after !== 'stall') socket.end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/view?filename=a.bin`;
}


function download(url: string, options: Partial<DownloadRequest> = {}) {
  return downloadToFile({
    url,
    workerUrl: 'http://127.0.0.1',
    headers: {},
    destPath: join(dir, 'out', 'a.bin'),
    retries: 2,
    idleTimeoutMs: 5_000,
    durable: true,
    logger: silentLogger,
    ...options,
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ok = (body: Buffer, extra = '') => Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n${extra}\r\n`);

describe('downloadToFile on the wire', () => {
  it('reads a Content-Length body that starts in the same packet as the head, sending the auth headers', async () => {
    const body = randomBytes(300_000);
    const url = await serve([{ pieces: [Buffer.concat([ok(body), body.subarray(0, 10)]), body.subarray(10)] }]);
    const got = await download(url, { headers: { Authorization: 'Bearer t', 'X-Trace': 'x1' } });
    expect(got).toEqual({ path: join(dir, 'out', 'a.bin'), bytes: body.length, sha256: sha(body) });
    expect((await readFile(got.path)).equals(body)).toBe(true);
    expect(await readdir(join(dir, 'out'))).toEqual(['a.bin']); // no .part left behind
    expect(requests[0]).toMatch(/^GET \/api\/view\?filename=a\.bin HTTP\/1\.1\r\n/);
    expect(requests[0]).toMatch(/\r\nauthorization: Bearer t\r\n/i);
    expect(requests[0]).toMatch(/\r\nx-trace: x1\r\n/i);
  });

  it('turns credentials in the URL into Basic auth', async () => {
    const body = randomBytes(1_000);
    const url = await serve([{ pieces: [ok(body), body] }]);
    await download(url.replace('http://', 'http://u%40x:p%3Aw@'));
    expect(requests[0]).toMatch(new RegExp(`\\r\\nauthorization: Basic ${Buffer.from('u@x:p:w').toString('base64')}\\r\\n`, 'i'));
  });

  it('decodes a chunked body split anywhere, after an interim 103 answer', async () => {
    const body = randomBytes(70_000);
    const pieces = chunkedResponsePieces('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n', body);
    const got = await download(await serve([{ pieces }]));
    expect(got.sha256).toBe(sha(body));
    expect((await readFile(got.path)).equals(body)).toBe(true);
  });

  it('reads a body delimited by the connection closing', async () => {
    const body = randomBytes(100_000);
    const got = await download(await serve([{ pieces: [Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), body] }]));
    expect(got.bytes).toBe(body.length);
    expect((await readFile(got.path)).equals(body)).toBe(true);
  });

  it('resumes a cut body with Range and the ETag of the first answer as If-Range', async () => {
    const body = randomBytes(1_000);
    const url = await serve([
      { pieces: [ok(body, 'ETag: "v1"\r\n'), body.subarray(0, 400)], after: 'cut' },
      { pieces: [Buffer.from('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy')] },
      {
        pieces: [
          Buffer.from(`HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 400-999/1000\r\nContent-Length: 600\r\nConnection: close\r\n\r\n`),
          body.subarray(400),
        ],
      },
    ]);
    const got = await download(url, { retries: 3 });
    expect(got).toMatchObject({ bytes: 1_000, sha256: sha(body) });
    expect(requests).toHaveLength(3);
    expect(requests[0]).not.toMatch(/\r\nrange:/i);
    for (const r of requests.slice(1)) {
      expect(r).toMatch(/\r\nrange: bytes=400-\r\n/i);
      expect(r).toMatch(/\r\nif-range: "v1"\r\n/i);
    }
  });

  it('starts over when the server ignores Range and sends the whole body again', async () => {
    const body = randomBytes(1_000);
    const url = await serve([{ pieces: [ok(body), body.subarray(0, 400)], after: 'cut' }, { pieces: [ok(body), body] }]);
    const got = await download(url);
    expect(got).toMatchObject({ bytes: 1_000, sha256: sha(body) });
    expect((await readFile(got.path)).equals(body)).toBe(true);
  });

  it('removes the partial file when every attempt is cut, and leaves the destination absent', async () => {
    const url = await serve([{ pieces: [Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'), Buffer.alloc(400, 1)], after: 'cut' }]);
    const err = await download(url, { retries: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COMFY_WORKER_UNAVAILABLE', reason: 'network' });
    expect(String((err as Error).message)).toContain('broke after 400 bytes');
    expect(requests).toHaveLength(2);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('hands back the start of an error body in HttpStatusError, without retrying a 404', async () => {
    const url = await serve([{ pieces: [Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 5000\r\n\r\n'), Buffer.alloc(5000, 0x61)] }]);
    const err = await download(url).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COMFY_HTTP_STATUS', status: 404, body: 'a'.repeat(2_000) });
    expect(requests).toHaveLength(1);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('gives up on a stalled body after the idle timeout', async () => {
    const url = await serve([{ pieces: [Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'), Buffer.alloc(10)], after: 'stall' }]);
    const err = await download(url, { retries: 0, idleTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COMFY_WORKER_UNAVAILABLE', reason: 'network' });
    expect(String((err as Error).message)).toContain('broke after 10 bytes');
  });

  it('maps a refused connection to WorkerUnavailableError', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const err = await download(`http://127.0.0.1:${port}/x`, { retries: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COMFY_WORKER_UNAVAILABLE', reason: 'network' });
    expect(String((err as Error).message)).toContain('ECONNREFUSED');
  });
});
