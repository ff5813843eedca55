import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { missingRealComfyUI, startRealComfyUI, type RealComfyUI } from '../support/real-comfyui.js';

const PNG = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a0' } }).png().toBuffer();

async function upload(url: string, fields: Record<string, string>, data: Uint8Array = PNG, filename = 'probe.png'): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.append('image', new Blob([Buffer.from(data)], { type: 'image/png' }), filename);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await fetch(`${url}/upload/image`, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

/** Upload cases and the status ComfyUI 0.3.64 answers (server.py image_upload; aiohttp client_max_size). */
function cases(outside: string): Array<[string, Record<string, string>, number]> {
  return [
    ['a plain upload', {}, 200],
    ['a relative subfolder', { subfolder: 'refs/mara' }, 200],
    ['an absolute subfolder', { subfolder: outside }, 400],
    ['a subfolder climbing out', { subfolder: '../../escape' }, 400],
    ['a subfolder that normalises to the input folder', { subfolder: 'a/..' }, 200],
  ];
}

describe('emulator /upload/image refuses what ComfyUI refuses', () => {
  let emulator: Emulator;
  const outside = mkdtempSync(join(tmpdir(), 'storycore-upload-outside-'));
  beforeAll(async () => {
    emulator = await startEmulator({ timeScale: 0, maxUploadMb: 1 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it.each(cases(outside))('%s', async (_what, fields, status) => {
    expect((await upload(emulator.url, fields)).status).toBe(status);
    expect(existsSync(join(outside, 'probe.png'))).toBe(false);
  });

  it('answers a body over --max-upload-size with 413 (not a connection reset), naming the limit', async () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    const reply = await upload(emulator.url, {}, big);
    expect(reply.status).toBe(413);
    expect(reply.text).toMatch(/^Maximum request body size 1048576 exceeded, actual body size \d+$/);
    // The server is still fine afterwards.
    expect((await upload(emulator.url, {})).status).toBe(200);
  });
});

describe.skipIf(missingRealComfyUI('nopacks'))('real ComfyUI 0.3.64 answers the same', () => {
  let real: RealComfyUI;
  const outside = mkdtempSync(join(tmpdir(), 'storycore-upload-outside-'));
  beforeAll(async () => {
    real = await startRealComfyUI({ kind: 'nopacks', extraArgs: ['--max-upload-size', '1'] });
  }, 240_000);
  afterAll(async () => {
    await real?.stop();
  });

  it.each(cases(outside))('%s', async (_what, fields, status) => {
    expect((await upload(real.url, fields)).status).toBe(status);
    expect(existsSync(join(outside, 'probe.png'))).toBe(false);
  });

  it('answers 413 over --max-upload-size', async () => {
    const reply = await upload(real.url, {}, new Uint8Array(3 * 1024 * 1024));
    expect(reply.status).toBe(413);
    expect(reply.text).toMatch(/^Maximum request body size 1048576 exceeded, actual body size \d+$/);
  });
});
