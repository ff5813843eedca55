import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ComfyClient } from '../src/comfy/client/comfy-client.js';
import type { ComfyProtocol } from '../src/comfy/comfyui-version.js';
import { isInterruptedError } from '../src/comfy/errors/interrupted-error.js';
import type { ApiGraph } from '../src/comfy/graph.js';
import { startEmulator, type Emulator } from '../src/sim/index.js';

/** The client against both emulated ComfyUI versions: the Jobs API where present, history and the queue where not. */

const graph = (color: number): ApiGraph => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'v/rc' } },
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(comfyui: ComfyProtocol): Promise<{ emu: Emulator; client: ComfyClient; requests: string[] }> {
  const emu = await startEmulator({ timeScale: 0, comfyui });
  const requests: string[] = [];
  const client = new ComfyClient(emu.url, { pollIntervalMs: 20 });
  const original = globalThis.fetch;
  // Records the routes the client takes (the emulator answers them as before).
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return original(input, init);
  }) as typeof fetch;
  cleanups.push(async () => {
    globalThis.fetch = original;
    await client.close();
    await emu.close();
  });
  return { emu, client, requests };
}

describe.each(['0.3.64', 'current'] as const)('ComfyClient on a %s worker', (comfyui) => {
  it('reads the protocol from /system_stats and finds prompts where they are', async () => {
    const { emu, client, requests } = await setup(comfyui);
    expect(await client.protocol()).toBe(comfyui);
    emu.faults.add({ classType: 'EmptyImage', whenInputs: { color: 5 }, action: { type: 'delay', ms: 800 }, times: 1 });
    const running = await client.submit(graph(5));
    for await (const e of running.events) if (e.type === 'executing') break;
    const pending = await client.submit(graph(6));
    requests.length = 0;
    expect(await client.promptPresence(running.promptId)).toBe('running');
    expect(await client.promptPresence(pending.promptId)).toBe('pending');
    expect(await client.promptPresence(randomUUID())).toBe('absent');
    if (comfyui === 'current') expect(requests).toEqual(expect.arrayContaining([`GET /api/jobs/${running.promptId}`, `GET /api/jobs/${pending.promptId}`]));
    else expect(requests.some((r) => r.startsWith('GET /api/jobs'))).toBe(false);

    requests.length = 0;
    await pending.cancel();
    await expect(pending.result()).rejects.toSatisfy(isInterruptedError);
    if (comfyui === 'current') expect(requests).toContain(`POST /api/jobs/${pending.promptId}/cancel`);
    else expect(requests).toContain('POST /api/queue');
    await running.result();
    expect(await client.promptPresence(running.promptId)).toBe('finished');
  });
});

describe('Jobs API through the client (current worker)', () => {
  it('lists with filters and paging, looks up one job, and knows an unknown id', async () => {
    const { client } = await setup('current');
    const a = await client.submit(graph(1));
    await a.result();
    const b = await client.submit(graph(2));
    await b.result();
    const list = await client.jobs({ status: ['completed'], sortOrder: 'asc', limit: 1 });
    expect(list.jobs.map((j) => j.id)).toEqual([a.promptId]);
    expect(list.pagination).toEqual({ offset: 0, limit: 1, total: 2, has_more: true });
    expect(await client.job(b.promptId)).toMatchObject({ id: b.promptId, status: 'completed', outputs_count: 1 });
    expect(await client.job(randomUUID())).toBeUndefined();
    expect(await client.cancelJob(a.promptId)).toBe(false);
  });
});
