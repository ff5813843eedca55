import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Issue 9 item 6: a worker that accepts TCP and never answers.
describe('a silent worker', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let url = '';

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('run says what it waits for, then gives up after client.requestTimeoutMs naming that key', { timeout: 30_000 }, async () => {
    const run = await cli(['run', join(ROOT, 'examples/graphs/keyframe-sd15.json'), '--worker', url, '--config-set', 'client.requestTimeoutMs=2500']);
    expect(run.code).toBe(3);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      `waiting for ${url} to answer GET /system_stats (gives up after 2.5 s, client.requestTimeoutMs)`,
      expect.stringMatching(/^error: .*GET \/system_stats got no answer within 2500 ms — .*raise client\.requestTimeoutMs in the config$/),
    ]);
  });

  it('workers check gives up after client.checkTimeoutMs and names that key', { timeout: 30_000 }, async () => {
    const run = await cli(['workers', 'check', url, '--config-set', 'client.checkTimeoutMs=800']);
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: .* within 800 ms — .*raise client\.checkTimeoutMs in the config$/)]);
  });

  it('every timeout key a hint names is documented in docs/configuration.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    for (const key of ['client.requestTimeoutMs', 'client.objectInfoTimeoutMs', 'client.uploadTimeoutMs', 'client.socketOpenTimeoutMs', 'client.unreachableTimeoutMs', 'client.downloadIdleTimeoutMs', 'client.checkTimeoutMs', 'queue.redisConnectTimeoutMs']) {
      expect(doc).toContain(`| \`${key}\``);
    }
  });
});
