/* eslint-disable @typescript-eslint/no-explicit-any -- replies are read as the JSON the API sends; the schemas are tested by openapi.test.ts */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/server-harness.js';

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

async function upload(h: Harness, project: string, name: string, bytes: Buffer, key = h.keys.generate) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${h.server.url}/api/projects/${project}/references`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  return { status: res.status, body: await res.json() as any };
}

describe('server security', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: 1, authFailuresPerMinute: 5 });
    expect((await h.call('POST', '/api/projects', { body: { id: 'safe', from: 'sample' } })).status).toBe(201);
  });
  afterAll(async () => h?.stop());

  it('refuses path traversal in every form, and symlinks out of the projects folder', async () => {
    const secret = join(h.dir, 'secret.txt');
    writeFileSync(secret, 'top secret');
    mkdirSync(join(h.server.ctx.projects.root, 'evil'));
    symlinkSync(secret, join(h.server.ctx.projects.root, 'evil', 'story.yaml'));
    symlinkSync(h.dir, join(h.server.ctx.projects.root, 'linked'));
    const attempts = [
      '/api/projects/..%2f..%2fsecret.txt/story', '/api/projects/%2e%2e/story', '/api/projects/..%252f/story',
      '/api/projects/%2Fetc%2Fpasswd/story', '/api/projects/safe%00/story', '/api/projects/SAFE/story',
      '/api/projects/evil/story', '/api/projects/linked/story',
      '/api/projects/safe/assets/..%2f..%2f..%2fsecret.txt', `/api/projects/safe/assets/${'0'.repeat(63)}%2e`,
      '/api/projects/safe/manifests/..%2fstory.yaml', '/api/events?project=..%2f',
      '/api/projects/safe/../../secret.txt',
    ];
    for (const path of attempts) {
      const res = await fetch(`${h.server.url}${path}`, { headers: { authorization: `Bearer ${h.keys.admin}` } });
      const text = await res.text();
      expect([400, 404], `${path} → ${res.status}`).toContain(res.status);
      expect(text).not.toContain('top secret');
    }
  });

  it('checks uploads by content: a non-image, a 100 MB body and a 50 000 × 50 000 PNG are refused, a PNG is stored', async () => {
    const story = readFileSync(join(h.server.ctx.projects.root, 'safe', 'story.yaml'));
    const text = await upload(h, 'safe', 'id_rsa.png', Buffer.from('-----BEGIN OPENSSH PRIVATE KEY-----\n'));
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ code: 'NOT_AN_IMAGE', field: 'body.file' });
    const big = await upload(h, 'safe', 'big.png', Buffer.alloc(100 * 1024 * 1024, 1));
    expect(big.status, JSON.stringify(big.body)).toBe(413);
    // A PNG whose header claims 50 000 × 50 000: refused from the header, never decoded.
    const bomb = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
    bomb.writeUInt32BE(50_000, 16);
    bomb.writeUInt32BE(50_000, 20);
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29); // IHDR's CRC stays valid
    const bombed = await upload(h, 'safe', 'bomb.png', bomb);
    expect(bombed.status, JSON.stringify(bombed.body)).toBe(413);
    expect(bombed.body.code).toBe('IMAGE_TOO_LARGE');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).png().toBuffer();
    const ok = await upload(h, 'safe', '../../../mara face.png', png);
    expect(ok.status).toBe(201);
    expect(ok.body.path).toMatch(/^references\/mara-face-[0-9a-f]{8}\.png$/);
    expect(readFileSync(join(h.server.ctx.projects.root, 'safe', ok.body.path))).toEqual(png);
    const readOnly = await upload(h, 'safe', 'x.png', png, h.keys.read);
    expect(readOnly.status).toBe(403);
    expect(readFileSync(join(h.server.ctx.projects.root, 'safe', 'story.yaml'))).toEqual(story);
  });

  it('refuses worker URLs to loopback, link-local and metadata addresses', async () => {
    for (const url of ['http://127.0.0.1:8188', 'http://169.254.169.254/latest', 'http://[::1]:8188', 'http://localhost:8188', 'http://0.0.0.0:8188', 'http://[::ffff:127.0.0.1]:8188', 'http://metadata.google.internal/']) {
      const res = await h.call('POST', '/api/workers', { body: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body.field).toBe('body.url');
    }
    const generate = await h.call('POST', '/api/workers', { key: h.keys.generate, body: { url: 'http://10.1.2.3:8188' } });
    expect(generate.status).toBe(403);
    const listed = await h.call('GET', '/api/workers', { key: h.keys.read });
    expect(listed.body.workers.map((w: any) => w.name)).toEqual(['sim-1']);
  });

  it('never writes a key or worker token into the logs or a reply', async () => {
    const added = await h.call('POST', '/api/workers', { body: { url: 'http://10.9.8.7:8188', name: 'remote', token: 'tok-SECRET-123456' } });
    expect(added.status).toBe(201);
    const listed = await h.call('GET', '/api/workers', { key: h.keys.read });
    expect(JSON.stringify(listed.body)).not.toContain('tok-SECRET');
    await h.call('DELETE', '/api/workers/remote');
    const logs = h.logs.join('');
    expect(logs.length).toBeGreaterThan(1000);
    for (const key of Object.values(h.keys)) expect(logs).not.toContain(key.slice(4, 20));
    expect(logs).not.toContain('tok-SECRET');
    // The first admin key is announced once on the terminal, never logged.
    const first = h.server.firstKey!;
    expect(h.announced.join('\n')).toContain(first);
    expect(logs).not.toContain(first.slice(4, 20));
  });

  it('sends security headers and no CORS header by default', async () => {
    const res = await fetch(`${h.server.url}/healthz`, { headers: { origin: 'http://evil.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
  it('rate-limits a key brute force per address with 429 and Retry-After (last: it locks this address out)', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${h.server.url}/api/projects`, { headers: { authorization: `Bearer sck_${'0'.repeat(12)}_${String(i).padStart(32, 'A')}` } });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
      await res.text();
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

});
