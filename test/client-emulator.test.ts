import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComfyClient } from '../src/comfy/client/comfy-client.js';
import type { ComfyClientOptions } from '../src/comfy/client/options.js';
import type { JobEvent } from '../src/comfy/client/job-types.js';
import { isPromptVanishedError } from '../src/comfy/errors/prompt-vanished-error.js';
import type { ApiGraph } from '../src/comfy/graph.js';
import { startEmulator, type Emulator } from '../src/sim/index.js';

/** The client against the emulator: the failure modes a fleet of real workers produces. */

function graph(prefix: string, width = 64): ApiGraph {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width, height: 48, batch_size: 1, color: 0 } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

let emu: Emulator;
let dir: string;
const clients: ComfyClient[] = [];

function client(options: ComfyClientOptions = {}): ComfyClient {
  const c = new ComfyClient(emu.url, { reconnect: { initialDelayMs: 10, maxDelayMs: 100 }, pollIntervalMs: 25, ...options });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'client-emu-'));
  emu = await startEmulator({ timeScale: 0 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ComfyClient against the emulator', () => {
  it('socket closed mid-run: result() resolves once with the right outputs', async () => {
    emu.faults.add({ classType: 'ImageInvert', action: { type: 'delay', ms: 300 } });
    const c = client();
    const job = await c.submit(graph('midrun'));
    const events: JobEvent[] = [];
    for await (const e of job.events) {
      events.push(e);
      if (e.type === 'executing' && e.nodeId === '2') emu.sockets.dropAll();
    }
    const result = await job.result();
    expect(Object.keys(result.outputs)).toEqual(['3']);
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ nodeId: '3', kind: 'image', type: 'output' });
    expect(result.files[0]!.filename).toMatch(/^midrun_\d{5}_\.png$/);
    expect(events.filter((e) => e.type === 'completed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'executed')).toHaveLength(1);
    const got = await c.download(result.files[0]!, join(dir, 'midrun.png'));
    expect(got.bytes).toBeGreaterThan(0);
    expect(got.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('socket open but silent: detected and resolved from history', async () => {
    emu.sockets.setSilent(true);
    const c = client({ silenceTimeoutMs: 200 });
    const job = await c.submit(graph('silent'));
    const result = await job.result();
    expect(result.files.map((f) => f.nodeId)).toEqual(['3']);
  });

  it('a prompt deleted from the queue by someone else → PromptVanishedError', async () => {
    emu.faults.add({ classType: 'ImageInvert', action: { type: 'delay', ms: 500 }, times: 1 });
    const c = client();
    const blocker = await c.submit(graph('blocker'));
    const victim = await c.submit(graph('victim', 80));
    const other = client({ socket: false });
    await other.deleteQueued([victim.promptId]);
    const err = await victim.result().catch((e: unknown) => e);
    expect(isPromptVanishedError(err)).toBe(true);
    await expect(blocker.result()).resolves.toMatchObject({ promptId: blocker.promptId });
  });

  it('a handle rebuilt from the prompt id in a new ComfyClient gets the result', async () => {
    emu.faults.add({ classType: 'ImageInvert', action: { type: 'delay', ms: 300 }, times: 1 });
    const first = client();
    const job = await first.submit(graph('attach'));
    await first.close(); // the process "dies" while the prompt runs
    const second = client();
    const result = await second.attach(job.promptId).result();
    expect(result.files[0]!.filename).toMatch(/^attach_\d{5}_\.png$/);
    // Already finished: a third client resolves straight from history.
    const third = client({ socket: false });
    await expect(third.attach(job.promptId).result()).resolves.toMatchObject({ promptId: job.promptId });
  });
});
