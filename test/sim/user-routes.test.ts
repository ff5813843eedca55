import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';

/** Routes of server.py, app/user_manager.py and app/app_settings.py (ComfyUI 0.3.64, single user). */
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
});
afterAll(async () => {
  await emu.close();
});

const call = async (method: string, route: string, body?: string | Buffer) => {
  const res = await fetch(emu.url + route, { method, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

/** A safetensors file: 8-byte little-endian header length, the JSON header, then tensor bytes. */
function safetensors(header: Record<string, unknown>): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, Buffer.alloc(4)]);
}

describe('/view_metadata/{folder}', () => {
  it("answers a model file's __metadata__, and a bare 404 where ComfyUI does", async () => {
    const dir = path.join(emu.dataDir, 'models', 'loras');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'style.safetensors'), safetensors({ __metadata__: { ss_network_dim: '32', modelspec: 'x' }, w: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }));
    writeFileSync(path.join(dir, 'plain.safetensors'), safetensors({ w: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }));
    expect(await call('GET', '/view_metadata/loras?filename=style.safetensors')).toEqual({ status: 200, type: 'application/json; charset=utf-8', text: '{"ss_network_dim": "32", "modelspec": "x"}' });
    const bare = { status: 404, type: 'application/octet-stream', text: '' };
    expect(await call('GET', '/api/view_metadata/loras?filename=plain.safetensors')).toEqual(bare);
    expect(await call('GET', '/view_metadata/loras?filename=missing.safetensors')).toEqual(bare);
    expect(await call('GET', '/view_metadata/loras?filename=style.ckpt')).toEqual(bare);
    expect(await call('GET', '/view_metadata/loras')).toEqual(bare);
    expect(await call('GET', '/view_metadata/no_such_folder?filename=style.safetensors')).toEqual(bare);
  });
});

describe('settings', () => {
  it('reads {} when none are saved, merges POST /settings, sets one with POST /settings/{id}', async () => {
    expect(await call('GET', '/settings')).toMatchObject({ status: 200, text: '{}' });
    expect(await call('GET', '/settings/Comfy.Locale')).toMatchObject({ status: 200, text: 'null' });
    expect((await call('POST', '/settings', JSON.stringify({ 'Comfy.Locale': 'en', 'Comfy.Zoom': 1.5 }))).status).toBe(200);
    expect((await call('POST', '/settings/Comfy.Locale', JSON.stringify('fr'))).status).toBe(200);
    expect(JSON.parse((await call('GET', '/api/settings')).text)).toEqual({ 'Comfy.Locale': 'fr', 'Comfy.Zoom': 1.5 });
    expect((await call('GET', '/settings/Comfy.Zoom')).text).toBe('1.5');
  });
});

describe('userdata', () => {
  it('writes, lists, reads, moves and deletes files in the user folder, never outside it', async () => {
    expect(await call('GET', '/userdata')).toMatchObject({ status: 400, text: 'Directory not provided' });
    expect(await call('GET', '/userdata?dir=workflows')).toMatchObject({ status: 404, text: 'Directory not found' });
    expect(await call('POST', '/userdata/workflows%2Fa.json', '{"nodes": []}')).toMatchObject({ status: 200, text: '"workflows/a.json"' });
    expect(await call('POST', '/userdata/workflows%2Fa.json?overwrite=false', '{}')).toMatchObject({ status: 409, text: 'File already exists' });
    expect(JSON.parse((await call('GET', '/userdata?dir=workflows')).text)).toEqual(['a.json']);
    const info = JSON.parse((await call('GET', '/userdata?dir=workflows&full_info=true')).text) as Array<Record<string, unknown>>;
    expect(info).toEqual([{ path: 'a.json', size: 13, modified: expect.any(Number), created: expect.any(Number) }]);
    expect(await call('GET', '/userdata/workflows%2Fa.json')).toMatchObject({ status: 200, type: 'application/json', text: '{"nodes": []}' });
    expect(await call('POST', '/userdata/workflows%2Fa.json/move/workflows%2Fb.json')).toMatchObject({ status: 200, text: '"workflows/b.json"' });
    expect(await call('GET', '/userdata/workflows%2Fa.json')).toMatchObject({ status: 404 });
    expect(await call('GET', '/userdata/..%252F..%252Fsecret')).toMatchObject({ status: 403 });
    expect(await call('DELETE', '/userdata/workflows%2Fb.json')).toMatchObject({ status: 204 });
    expect(JSON.parse((await call('GET', '/userdata?dir=workflows')).text)).toEqual([]);
    expect(JSON.parse((await call('GET', '/users')).text)).toEqual({ storage: 'server', migrated: true });
  });
});

describe('connection headers', () => {
  it('sends no Connection/Keep-Alive header where aiohttp sends none, and keeps the connection open', async () => {
    const { port } = new URL(emu.url);
    const replies = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('GET /prompt HTTP/1.1\r\nHost: x\r\n\r\n'));
      let data = '';
      let sent = false;
      socket.on('data', (chunk) => {
        data += chunk.toString();
        // The same connection answers a second request: it was kept alive.
        if (!sent && data.includes('}')) {
          sent = true;
          socket.write('GET /prompt HTTP/1.1\r\nHost: x\r\n\r\n');
        } else if (sent && data.split('HTTP/1.1 200').length === 3 && data.endsWith('}}')) {
          socket.destroy();
          resolve(data);
        }
      });
      socket.on('error', reject);
    });
    expect(replies.split('HTTP/1.1 200 OK')).toHaveLength(3);
    expect(replies.toLowerCase()).not.toContain('connection:');
    expect(replies.toLowerCase()).not.toContain('keep-alive');
  });
});
