import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkGet } from './bulk-get.js';
import { chunkedResponsePieces } from '../../../test/support/chunked-wire.js';

let dir: string;
let server: net.Server | undefined;
const requests: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-get-'));
  requests.length = 0;
});

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A raw server: each answer is a list of byte pieces written with a pause between them. */
async function serve(pieces: Array<string | Buffer>, options: { endAfter?: boolean } = {}): Promise<string> {
  server = net.createServer((socket) => {
    let head = '';
    socket.on('data', async (d) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      requests.push(head);
      for (const p of pieces) {
        socket.write(p);
        await new Promise((r) => setTimeout(r, 5));
      }
      if (options.endAfter ?? true) socket.end();
      else socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/view?filename=a.bin`;
}

async function download(url: string, headers: Record<string, string> = {}) {
  const res = await bulkGet(url, headers, 5_000);
  const path = join(dir, 'out.bin');
  const file = await open(path, 'w');
  const hash = createHash('sha256');
  try {
    const bytes = await res.pipeTo(file, hash);
    return { res, bytes, sha256: hash.digest('hex'), content: await readFile(path) };
  } finally {
    await file.close();
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('bulkGet', () => {
  it('reads a Content-Length body that starts in the same packet as the head, and sends the headers', async () => {
    const body = randomBytes(300_000);
    const url = await serve([Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nETag: "x"\r\n\r\n`), body.subarray(0, 10)]), body.subarray(10)]);
    const got = await download(url, { Authorization: 'Bearer t' });
    expect(got.res.status).toBe(200);
    expect(got.res.headers.etag).toBe('"x"');
    expect(got.bytes).toBe(body.length);
    expect(got.sha256).toBe(sha(body));
    expect(got.content.equals(body)).toBe(true);
    expect(requests[0]).toMatch(/^GET \/api\/view\?filename=a\.bin HTTP\/1\.1\r\n/);
    expect(requests[0]).toContain('Authorization: Bearer t\r\n');
  });

  it('decodes a chunked body split anywhere, after a 100 Continue', async () => {
    const body = randomBytes(70_000);
    const pieces = chunkedResponsePieces('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', body);
    const got = await download(await serve(pieces));
    expect(got.sha256).toBe(sha(body));
    expect(got.content.equals(body)).toBe(true);
  });

  it('reads a body delimited by the connection closing', async () => {
    const body = randomBytes(100_000);
    const got = await download(await serve([Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), body]));
    expect(got.content.equals(body)).toBe(true);
  });

  it('fails on a cut Content-Length body, with the bytes received already in the file', async () => {
    const url = await serve([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'), Buffer.alloc(400, 1)], { endAfter: false });
    const res = await bulkGet(url, {}, 5_000);
    const path = join(dir, 'cut.bin');
    const file = await open(path, 'w');
    const err = await res.pipeTo(file, createHash('sha256')).catch((e: unknown) => e);
    await file.close();
    expect(String(err)).toMatch(/400 of 1000|ECONNRESET/);
    expect((await readFile(path)).length).toBe(400);
  });

  it('hands back the start of an error body as text', async () => {
    const res = await bulkGet(await serve([Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 5000\r\n\r\n'), Buffer.alloc(5000, 0x61)]), {}, 5_000);
    expect(res.status).toBe(404);
    expect(await res.text(100)).toBe('a'.repeat(100));
  });

  it('rejects when nothing answers', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(bulkGet(`http://127.0.0.1:${port}/x`, {}, 5_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
