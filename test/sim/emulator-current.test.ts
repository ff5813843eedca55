import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { tinyGraph } from './support/graphs.js';
import { getJson, postJson } from './support/socket-log.js';

/** The emulator as current ComfyUI (server.py and comfy_execution/jobs.py of Comfy-Org/ComfyUI, 0.38.x). */
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
});
afterAll(async () => {
  await emu.close();
});

async function get(path: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(emu.url + path);
  return { status: res.status, json: (await res.json()) as unknown };
}

async function waitFor(test: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await test()); i++) await new Promise((r) => setTimeout(r, 10));
}

const slowGraph = () => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color: 7 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'slow/rc' } },
});

describe('version: the default node set is current ComfyUI; 0.3.64 is there when asked for', () => {
  it('reports the version whose node set it serves', async () => {
    expect(emu.comfyui).toBe('current');
    const stats = (await getJson(emu.url, '/system_stats')) as { system: { comfyui_version: string } };
    expect(stats.system.comfyui_version).toBe('0.38.1');
    expect(Object.keys((await getJson(emu.url, '/object_info/ComfySwitchNode')) as object)).toEqual(['ComfySwitchNode']);

    const old = await startEmulator({ timeScale: 0, comfyui: '0.3.64' });
    try {
      expect(((await getJson(old.url, '/system_stats')) as { system: { comfyui_version: string } }).system.comfyui_version).toBe('0.3.64');
      expect(await getJson(old.url, '/object_info/ComfySwitchNode')).toEqual({});
      expect((await fetch(`${old.url}/api/jobs`)).status).toBe(404);
      expect((await postJson(old.url, '/prompt', { prompt: tinyGraph(1), prompt_id: 'any-string' })).status).toBe(200);
    } finally {
      await old.close();
    }
    const given = await startEmulator({ timeScale: 0, objectInfo: defaultObjectInfo() });
    try {
      expect(given.comfyui).toBe('0.3.64');
    } finally {
      await given.close();
    }
  });
});

describe('POST /prompt with a client-chosen prompt_id', () => {
  it('takes a canonical UUID and refuses anything else with 400 invalid_prompt_id', async () => {
    const id = randomUUID();
    const ok = await postJson(emu.url, '/prompt', { prompt: tinyGraph(2), prompt_id: id });
    expect(ok.json).toMatchObject({ prompt_id: id, node_errors: {} });
    const bad = await postJson(emu.url, '/prompt', { prompt: tinyGraph(2), prompt_id: 'job-7' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: {
        type: 'invalid_prompt_id',
        message: 'prompt_id must be a valid UUID',
        details: 'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one',
        extra_info: {},
      },
      node_errors: {},
    });
    const minted = await postJson(emu.url, '/prompt', { prompt: tinyGraph(3), prompt_id: null });
    expect((minted.json as { prompt_id: string }).prompt_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Jobs API', () => {
  it('lists, filters, sorts, pages, looks up and cancels jobs by id', async () => {
    await waitFor(async () => ((await getJson(emu.url, '/prompt')) as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining === 0);
    await postJson(emu.url, '/history', { clear: true });
    emu.faults.add({ classType: 'EmptyImage', whenInputs: { color: 7 }, action: { type: 'delay', ms: 1500 }, times: 1 });
    const running = randomUUID();
    const pendingA = randomUUID();
    const pendingB = randomUUID();
    await postJson(emu.url, '/prompt', { prompt: slowGraph(), prompt_id: running });
    await waitFor(async () => ((await get(`/api/jobs/${running}`)).json as { status?: string }).status === 'in_progress');
    await postJson(emu.url, '/prompt', { prompt: tinyGraph(11), prompt_id: pendingA, extra_data: { extra_pnginfo: { workflow: { id: 'wf-1' } } } });
    await new Promise((r) => setTimeout(r, 5));
    await postJson(emu.url, '/prompt', { prompt: tinyGraph(12), prompt_id: pendingB });

    const all = (await get('/api/jobs')).json as { jobs: Array<{ id: string; status: string; create_time: number }>; pagination: unknown };
    expect(all.jobs.map((j) => [j.id, j.status])).toEqual([
      [pendingB, 'pending'],
      [pendingA, 'pending'],
      [running, 'in_progress'],
    ]);
    expect(all.pagination).toEqual({ offset: 0, limit: null, total: 3, has_more: false });
    const page = (await get('/api/jobs?sort_order=asc&limit=1&offset=1')).json as { jobs: Array<{ id: string }>; pagination: unknown };
    expect(page.jobs.map((j) => j.id)).toEqual([pendingA]);
    expect(page.pagination).toEqual({ offset: 1, limit: 1, total: 3, has_more: true });
    expect(((await get('/api/jobs?status=in_progress')).json as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id)).toEqual([running]);
    expect(((await get('/api/jobs?workflow_id=wf-1')).json as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id)).toEqual([pendingA]);

    const one = (await get(`/api/jobs/${pendingA}`)).json as Record<string, unknown>;
    expect(one).toMatchObject({ id: pendingA, status: 'pending', outputs_count: 0, workflow_id: 'wf-1', workflow: { prompt: { '1': { class_type: 'EmptyImage' } } } });
    expect(await get(`/api/jobs/${randomUUID()}`)).toEqual({ status: 404, json: { error: 'Job not found' } });

    expect((await postJson(emu.url, `/api/jobs/${pendingB}/cancel`, {})).json).toEqual({ cancelled: true });
    expect((await postJson(emu.url, `/api/jobs/${pendingB}/cancel`, {})).json).toEqual({ cancelled: false });
    expect((await postJson(emu.url, `/api/jobs/${running}/cancel`, {})).json).toEqual({ cancelled: true });
    await waitFor(async () => ((await get(`/api/jobs/${pendingA}`)).json as { status?: string }).status === 'completed');

    const done = (await get(`/api/jobs/${pendingA}`)).json as Record<string, unknown>;
    expect(done).toMatchObject({ status: 'completed', outputs_count: 1, previewable_outputs_count: 1, preview_output: { nodeId: '2', mediaType: 'images', type: 'output' } });
    expect(typeof done.execution_start_time).toBe('number');
    expect(done.execution_status).toMatchObject({ status_str: 'success', completed: true });
    expect(((await get(`/api/jobs/${running}`)).json as { status: string }).status).toBe('cancelled');
    expect(((await get('/api/jobs?status=completed,cancelled')).json as { jobs: unknown[] }).jobs).toHaveLength(2);
    expect(((await get(`/api/jobs?status=pending`)).json as { jobs: unknown[] }).jobs).toEqual([]);
  });

  it('answers bad list parameters and bad batch cancels with 400 and the message server.py gives', async () => {
    expect(await get('/api/jobs?status=done')).toEqual({ status: 400, json: { error: 'Invalid status value(s): done. Valid values: pending, in_progress, completed, failed, cancelled' } });
    expect(await get('/api/jobs?sort_by=name')).toEqual({ status: 400, json: { error: "sort_by must be 'created_at' or 'execution_duration'" } });
    expect(await get('/api/jobs?limit=0')).toEqual({ status: 400, json: { error: 'limit must be a positive integer' } });
    expect(await get('/api/jobs?limit=x')).toEqual({ status: 400, json: { error: 'limit must be an integer' } });
    expect((await postJson(emu.url, '/api/jobs/cancel', { job_ids: ['nope'] })).json).toEqual({ error: 'job_ids contains invalid id(s)', invalid_ids: ['nope'] });
    expect((await postJson(emu.url, '/api/jobs/cancel', { job_ids: [randomUUID()] })).json).toEqual({ cancelled: false });
    expect((await fetch(`${emu.url}/jobs`)).status).toBe(404);
  });
});
