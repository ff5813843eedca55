import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { blurGraph, tinyGraph } from './support/graphs.js';
import { getJson, png, postJson, SocketLog, upload } from './support/socket-log.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0, comfyui: '0.3.64', models: { checkpoints: ['b.safetensors', 'a.safetensors'] } });
});

afterAll(async () => {
  await emu.close();
});

describe('emulator HTTP: prompt numbers and the queue (fixtures 05, 07)', () => {
  it('consumes the counter on failed validation, negates it for front, echoes prompt_id', async () => {
    const bad = await postJson(emu.url, '/prompt', { prompt: { '1': { class_type: 'NoSuchNode', inputs: {} } } });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe(
      '{"error": {"type": "invalid_prompt", "message": "Cannot execute because node NoSuchNode does not exist.", "details": "Node ID \'#1\'", "extra_info": {}}, "node_errors": {}}',
    );
    expect((await postJson(emu.url, '/prompt', {})).json).toMatchObject({ error: { type: 'no_prompt' } });
    const ok = await postJson(emu.url, '/prompt', { prompt: tinyGraph(1), prompt_id: 'explicit-1' });
    expect(ok.json).toEqual({ prompt_id: 'explicit-1', number: 2, node_errors: {} });
    const none = await postJson(emu.url, '/prompt', { prompt: tinyGraph(2), prompt_id: null, front: true });
    expect(none.json).toMatchObject({ prompt_id: 'None', number: -3 });
    const explicit = await postJson(emu.url, '/prompt', { prompt: tinyGraph(3), number: 5 });
    expect(explicit.text).toContain('"number": 5.0');
  });

  it('answers 500 text/plain for bodies ComfyUI crashes on', async () => {
    for (const [route, body] of [
      ['/prompt', '{"prompt": '],
      ['/prompt', JSON.stringify({ prompt: 'not an object' })],
      ['/history', '[1]'],
      ['/queue', 'nope'],
    ] as const) {
      const res = await postJson(emu.url, route, body);
      expect(res.status).toBe(500);
      expect(res.text).toBe('500 Internal Server Error\n\nServer got itself in trouble');
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
    const badPage = await fetch(`${emu.url}/history?max_items=abc`);
    expect(badPage.status).toBe(500);
  });

  it('shows the raw heap, deletes and clears pending jobs, leaves the running one', async () => {
    // Earlier tests' prompts may still run on a loaded machine: start from an idle queue.
    for (let i = 0; i < 600; i++) {
      const q = (await getJson(emu.url, '/queue')) as { queue_running: unknown[]; queue_pending: unknown[] };
      if (q.queue_running.length === 0 && q.queue_pending.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ws = await SocketLog.open(emu.url, { clientId: 'queue-client' });
    emu.faults.add({ classType: 'ImageBlur', action: { type: 'delay', ms: 400 }, times: 1 });
    const running = (await postJson(emu.url, '/prompt', { prompt: blurGraph(3, 1), client_id: 'queue-client' })).json as { prompt_id: string; number: number };
    await ws.waitFor((f) => f.kind === 'json' && f.type === 'executing' && f.data.node === '10');
    const ids: string[] = [];
    for (const [color, extra] of [[4, {}], [5, {}], [6, { front: true }]] as const) {
      ids.push(((await postJson(emu.url, '/prompt', { prompt: tinyGraph(color), ...extra })).json as { prompt_id: string }).prompt_id);
    }
    const queue = (await getJson(emu.url, '/queue')) as { queue_running: unknown[][]; queue_pending: unknown[][] };
    expect(queue.queue_running.map((q) => q[1])).toEqual([running.prompt_id]);
    expect(queue.queue_running[0]).toHaveLength(5);
    const numbers = queue.queue_pending.map((q) => q[0] as number);
    expect(numbers[0]).toBeLessThan(0);
    expect(numbers).toHaveLength(3);
    expect(await getJson(emu.url, '/prompt')).toEqual({ exec_info: { queue_remaining: 4 } });
    expect((await postJson(emu.url, '/queue', { delete: [ids[0]] })).status).toBe(200);
    await postJson(emu.url, '/queue', { clear: true });
    const after = (await getJson(emu.url, '/queue')) as { queue_running: unknown[]; queue_pending: unknown[] };
    expect(after.queue_pending).toEqual([]);
    expect(after.queue_running).toHaveLength(1);
    await postJson(emu.url, '/interrupt', { prompt_id: running.prompt_id });
    await ws.waitDone(running.prompt_id);
    for (const id of ids) expect(await getJson(emu.url, `/history/${id}`)).toEqual({});
    ws.close();
  });

  it('pages history with max_items/offset and deletes/clears it (fixture 13)', async () => {
    const all = Object.keys((await getJson(emu.url, '/history')) as object);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys((await getJson(emu.url, '/history?max_items=2')) as object)).toEqual(all.slice(-2));
    expect(Object.keys((await getJson(emu.url, '/history?offset=1&max_items=1')) as object)).toEqual(all.slice(1, 2));
    expect(Object.keys((await getJson(emu.url, '/history?offset=1')) as object)).toEqual(all.slice(1));
    expect(await getJson(emu.url, '/history/no-such-id')).toEqual({});
    await postJson(emu.url, '/history', { delete: [all[0]] });
    expect(await getJson(emu.url, `/history/${all[0]}`)).toEqual({});
    await postJson(emu.url, '/history', { clear: true });
    expect(await getJson(emu.url, '/history')).toEqual({});
  });
});

describe('emulator HTTP: introspection (fixture 01)', () => {
  it('serves every route at /x and /api/x with ComfyUI bodies', async () => {
    expect(await getJson(emu.url, '/features')).toEqual({ supports_preview_metadata: true, max_upload_size: 104857600 });
    expect(await getJson(emu.url, '/api/extensions')).toEqual([]);
    expect(await getJson(emu.url, '/models/checkpoints')).toEqual(['a.safetensors', 'b.safetensors']);
    expect((await getJson(emu.url, '/models')) as string[]).toContain('diffusion_models');
    for (const folder of ['unet', 'clip', 'no_such_folder']) {
      const res = await fetch(`${emu.url}/api/models/${folder}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(await res.text()).toBe('');
    }
    expect(await getJson(emu.url, '/object_info/NoSuchNode')).toEqual({});
    const ckpt = (await getJson(emu.url, '/api/object_info/CheckpointLoaderSimple')) as Record<string, { input: { required: { ckpt_name: [string[]] } } }>;
    expect(ckpt.CheckpointLoaderSimple?.input.required.ckpt_name[0]).toEqual(['a.safetensors', 'b.safetensors']);
    const stats = (await getJson(emu.url, '/system_stats')) as { system: { comfyui_version: string }; devices: Array<{ name: string; vram_total: number; vram_free: number }> };
    expect(stats.system.comfyui_version).toBe('0.3.64');
    expect(stats.devices[0]?.name).toBe('cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync');
    expect(stats.devices[0]?.vram_free).toBeLessThanOrEqual(stats.devices[0]?.vram_total ?? 0);
    const folders = (await getJson(emu.url, '/internal/folder_paths')) as Record<string, string[]>;
    expect(folders.text_encoders).toHaveLength(3);
    expect((await fetch(`${emu.url}/api/internal/folder_paths`)).status).toBe(404);
    expect((await fetch(`${emu.url}/internal/files/bogus`)).status).toBe(400);
  });
});

describe('emulator HTTP: uploads and /view (fixtures 02, 03)', () => {
  it('dedupes, renames, overwrites and confines uploads', async () => {
    const a = await png(20, 10, [10, 200, 10]);
    const b = await png(20, 10, [10, 10, 200]);
    expect((await upload(emu.url, '/upload/image', a, { filename: 'rc_test.png' })).text).toBe('{"name": "rc_test.png", "subfolder": "", "type": "input"}');
    expect((await upload(emu.url, '/upload/image', a, { filename: 'rc_test.png' })).json).toMatchObject({ name: 'rc_test.png' });
    expect((await upload(emu.url, '/upload/image', b, { filename: 'rc_test.png' })).json).toMatchObject({ name: 'rc_test (1).png' });
    expect((await upload(emu.url, '/upload/image', b, { filename: 'rc_test.png', overwrite: 'true' })).json).toMatchObject({ name: 'rc_test.png' });
    expect((await upload(emu.url, '/upload/image', a, { filename: 'rc_sub.png', subfolder: 'fixture/sub' })).json).toEqual({ name: 'rc_sub.png', subfolder: 'fixture/sub', type: 'input' });
    expect((await upload(emu.url, '/upload/image', a, { filename: 'rc_temp.png', type: 'temp' })).json).toMatchObject({ type: 'temp' });
    const evil = await upload(emu.url, '/upload/image', a, { filename: 'rc_evil.png', subfolder: '../../escape' });
    expect([evil.status, evil.text]).toEqual([400, '']);
    const form = new FormData();
    form.append('subfolder', 'x');
    expect((await fetch(`${emu.url}/upload/image`, { method: 'POST', body: form })).status).toBe(400);
    const info = (await getJson(emu.url, '/object_info/LoadImage')) as Record<string, { input: { required: { image: [string[]] } } }>;
    expect(info.LoadImage?.input.required.image[0]).toEqual(['example.png', 'rc_test (1).png', 'rc_test.png']);
  });

  it('applies the /view path rules and re-encodes previews', async () => {
    const ok = await fetch(`${emu.url}/view?filename=rc_sub.png%20%5Binput%5D&subfolder=fixture/sub`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe('filename="rc_sub.png"');
    expect(ok.headers.get('accept-ranges')).toBe('bytes');
    const statuses: number[] = [];
    for (const q of ['filename=../../etc/passwd', 'filename=..%2F..%2Fetc%2Fpasswd&type=output', 'filename=passwd&subfolder=../../../../etc&type=output', 'filename=/etc/passwd', 'filename=rc_test.png&type=bogus', 'filename=nope.png', '']) {
      statuses.push((await fetch(`${emu.url}/view?${q}`)).status);
    }
    expect(statuses).toEqual([400, 400, 403, 400, 400, 404, 404]);
    const webp = await fetch(`${emu.url}/view?filename=rc_test.png&type=input&preview=webp;50`);
    expect(webp.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await webp.arrayBuffer()).subarray(8, 12).toString()).toBe('WEBP');
    const alpha = await fetch(`${emu.url}/view?filename=rc_test.png&type=input&channel=a`);
    expect(alpha.headers.get('content-type')).toBe('image/png');
  });

  it('rejects a foreign Origin on a loopback Host with an empty 403', async () => {
    const res = await fetch(`${emu.url}/queue`, { headers: { Origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
  });
});
