import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { missingRealComfyUI, startRealComfyUI, type RealComfyUI } from '../support/real-comfyui.js';

/**
 * The emulator (cpu profile, 0.3.64) and real ComfyUI 0.3.64 on CPU, asked the same things:
 * /system_stats, settings and userdata routes, and the headers of a kept-alive connection.
 */

type Reply = { status: number; type: string | null; text: string };

async function ask(base: string, method: string, route: string, body?: string): Promise<Reply> {
  const res = await fetch(base + route, { method, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Two GET /prompt on one connection; the raw header lines of both replies. */
function rawHeaders(url: string): Promise<string[]> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('GET /prompt HTTP/1.1\r\nHost: x\r\n\r\nGET /prompt HTTP/1.1\r\nHost: x\r\n\r\n'));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
      const heads = data.split('\r\n\r\n');
      if ((data.match(/HTTP\/1\.1 200/g) ?? []).length === 2 && data.endsWith('}}')) {
        socket.destroy();
        resolve(heads.filter((h) => h.includes('HTTP/1.1')).map((h) => h.slice(h.indexOf('HTTP/1.1'))));
      }
    });
    socket.on('error', reject);
  });
}

const SCRIPT: Array<[string, string, string?]> = [
  ['GET', '/settings'],
  ['GET', '/settings/Comfy.Locale'],
  ['POST', '/settings', JSON.stringify({ 'Comfy.Locale': 'en', 'Comfy.Zoom': 1.5 })],
  ['POST', '/settings/Comfy.Locale', JSON.stringify('fr')],
  ['GET', '/settings'],
  ['GET', '/userdata'],
  ['GET', '/userdata?dir=workflows'],
  ['POST', '/userdata/workflows%2Fa.json', '{"nodes": []}'],
  ['POST', '/userdata/workflows%2Fa.json?overwrite=false', '{}'],
  ['GET', '/userdata?dir=workflows'],
  ['GET', '/userdata?dir=workflows&split=true'],
  ['GET', '/userdata/workflows%2Fa.json'],
  ['POST', '/userdata/workflows%2Fa.json/move/workflows%2Fb.json'],
  ['GET', '/userdata/workflows%2Fa.json'],
  ['DELETE', '/userdata/workflows%2Fb.json'],
  ['GET', '/userdata/..%252F..%252Fsecret'],
  ['GET', '/view_metadata/loras?filename=nope.safetensors'],
  ['GET', '/view_metadata/loras?filename=nope.ckpt'],
];

describe.skipIf(missingRealComfyUI('nopacks'))('emulator vs real ComfyUI 0.3.64 (CPU): protocol surface', () => {
  let real: RealComfyUI;
  let emu: Emulator;
  beforeAll(async () => {
    [real, emu] = await Promise.all([startRealComfyUI({ kind: 'nopacks' }), startEmulator({ profile: 'cpu', comfyui: '0.3.64', timeScale: 0 })]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([real?.stop(), emu?.close()]);
  });

  it('/system_stats: same keys, --cpu in argv, one cpu device whose VRAM and torch figures are system RAM', async () => {
    for (const base of [real.url, emu.url]) {
      const s = JSON.parse((await ask(base, 'GET', '/system_stats')).text) as { system: Record<string, unknown> & { argv: string[] }; devices: Array<Record<string, unknown>> };
      expect(s.system.argv).toContain('--cpu');
      expect(s.devices).toHaveLength(1);
      const d = s.devices[0]!;
      expect([d.name, d.type, d.index]).toEqual(['cpu', 'cpu', null]);
      expect(d.torch_vram_total).toBe(d.vram_total);
      expect(d.vram_total).toBe(s.system.ram_total);
      expect(typeof d.vram_free).toBe('number');
    }
    const keys = async (base: string) => {
      const s = JSON.parse((await ask(base, 'GET', '/system_stats')).text) as { system: object; devices: object[] };
      return [Object.keys(s.system), Object.keys(s.devices[0]!)];
    };
    expect(await keys(emu.url)).toEqual(await keys(real.url));
  });

  it('settings, userdata and view_metadata answer alike, request for request', async () => {
    const answers = async (base: string) => {
      const out: Reply[] = [];
      for (const [method, route, body] of SCRIPT) out.push(await ask(base, method, route, body));
      return out;
    };
    const expected = await answers(real.url);
    const actual = await answers(emu.url);
    for (let i = 0; i < SCRIPT.length; i++) {
      const label = SCRIPT[i]!.slice(0, 2).join(' ');
      expect({ label, ...actual[i] }).toEqual({ label, ...expected[i] });
    }
  });

  it('keeps connections alive without Connection/Keep-Alive headers, as aiohttp does', async () => {
    for (const base of [real.url, emu.url]) {
      const heads = await rawHeaders(base);
      expect(heads).toHaveLength(2);
      for (const head of heads) expect(head.toLowerCase()).not.toMatch(/^(connection|keep-alive):/m);
    }
  });
});
