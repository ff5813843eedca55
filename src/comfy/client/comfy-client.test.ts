import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStub, type ComfyStub } from '../../../test/support/comfy-stub-server.js';
import { loadTranscript, type TranscriptHttp } from '../../../test/support/comfy-transcripts.js';
import type { ApiGraph } from '../graph.js';
import { isExecutionError, isInterruptedError, isOutOfMemoryError, isPromptValidationError, isPromptVanishedError } from '../errors/index.js';
import type { PromptValidationError } from '../errors/prompt-validation-error.js';
import { ComfyClient } from './comfy-client.js';
import type { ComfyClientOptions } from './options.js';
import type { JobEvent } from './job-types.js';

const graph: ApiGraph = {
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
};

let dir: string;
let stub: ComfyStub;
const clients: ComfyClient[] = [];

function client(options: ComfyClientOptions = {}): ComfyClient {
  const c = new ComfyClient(stub.url, { reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, pollIntervalMs: 20, silenceTimeoutMs: 5_000, ...options });
  clients.push(c);
  return c;
}

async function collect(events: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const out: JobEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'comfy-client-'));
  stub = await startStub({ outputDir: join(dir, 'output') });
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await stub.close();
  await rm(dir, { recursive: true, force: true });
});

describe('submit and result', () => {
  it('completes through the socket, with events in order and the result from history', async () => {
    const c = client();
    const job = await c.submit(graph);
    const [events, result] = await Promise.all([collect(job.events), job.result()]);
    expect(events.map((e) => e.type)).toEqual(['started', 'cached', 'executing', 'progress', 'executing', 'progress', 'executed', 'completed']);
    expect(events.find((e) => e.type === 'executed')).toMatchObject({ nodeId: '2', source: 'socket' });
    expect(result.files).toEqual([{ nodeId: '2', outputKey: 'images', filename: `${job.promptId.slice(0, 8)}_2.png`, subfolder: '', type: 'output', kind: 'image' }]);
    expect(result.startedAt).toBeTypeOf('number');
    // History is the truth: the handle read it even though the socket announced success.
    expect(stub.requests.some((r) => r.path === `/api/history/${job.promptId}`)).toBe(true);
    // One socket, the handshake first, the client id on the prompt.
    expect(stub.upgrades).toHaveLength(1);
    expect(stub.upgrades[0]!.clientId).toBe(c.clientId);
    expect(stub.firstClientMessages[0]).toEqual({ type: 'feature_flags', data: { supports_preview_metadata: true } });
    const post = stub.requests.find((r) => r.method === 'POST' && r.path === '/api/prompt')!;
    expect(post.body).toMatchObject({ client_id: c.clientId, prompt_id: job.promptId });
  });

  it('completes from history alone when the socket never connects', async () => {
    stub.acceptSockets = false;
    const c = client({ socketOpenTimeoutMs: 100 });
    const job = await c.submit(graph);
    const [events, result] = await Promise.all([collect(job.events), job.result()]);
    expect(result.files.map((f) => f.nodeId)).toEqual(['2']);
    // Outputs the socket never delivered are replayed from history, once.
    expect(events.map((e) => e.type)).toEqual(['executed', 'completed']);
    expect(events[0]).toMatchObject({ source: 'history', nodeId: '2' });
  });

  it('reconnects after the socket drops mid-run, one socket at a time, and delivers each event once', async () => {
    const c = client();
    let dropped = false;
    stub.onNode = async (_job, nodeId) => {
      if (nodeId === '2' && !dropped) {
        dropped = true;
        stub.dropSockets();
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    stub.options.stepDelayMs = 30;
    const job = await c.submit(graph);
    const [events, result] = await Promise.all([collect(job.events), job.result()]);
    expect(result.outputs['2']).toBeDefined();
    expect(stub.upgrades.length).toBeGreaterThanOrEqual(2);
    expect(stub.upgrades.every((u) => u.clientId === c.clientId)).toBe(true);
    expect(stub.openSockets).toBeLessThanOrEqual(1);
    const keys = events.filter((e) => e.type !== 'progress_state').map((e) => JSON.stringify({ ...e, result: undefined }));
    expect(new Set(keys).size).toBe(keys.length);
    expect(events.filter((e) => e.type === 'executed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'completed')).toHaveLength(1);
  });

  it('replays executing without prompt_id to the running job, without duplicating it', async () => {
    const c = client();
    stub.options.autoRun = false;
    const job = await c.submit(graph);
    stub.onNode = async (_job, nodeId) => {
      if (nodeId === '2') {
        // The server's replay after a reconnect: executing of the current node, no prompt_id.
        stub.send(c.clientId, 'executing', { node: '1' });
      }
    };
    void stub.runNext();
    const events = await collect(job.events);
    expect(events.filter((e) => e.type === 'executing').map((e) => (e as { nodeId: string }).nodeId)).toEqual(['1', '2']);
  });

  it('detects a silent (zombie) socket and resolves from history', async () => {
    stub.silent = true;
    const c = client({ silenceTimeoutMs: 150 });
    const job = await c.submit(graph);
    const result = await job.result();
    expect(result.files).toHaveLength(1);
  });

  it('reports a prompt deleted from the queue by someone else as vanished', async () => {
    stub.options.autoRun = false;
    const c = client();
    const job = await c.submit(graph);
    // Another client deletes it: the status broadcast makes the handle check the queue.
    const other = client({ socket: false });
    await other.deleteQueued([job.promptId]);
    const err = await job.result().catch((e: unknown) => e);
    expect(isPromptVanishedError(err)).toBe(true);
  });

  it('cancel() deletes a pending prompt and rejects with InterruptedError(cancelledByUs)', async () => {
    stub.options.autoRun = false;
    const c = client();
    const job = await c.submit(graph);
    await job.cancel();
    const err = await job.result().catch((e: unknown) => e);
    expect(isInterruptedError(err)).toBe(true);
    expect(err).toMatchObject({ cancelledByUs: true });
    expect(stub.requests.some((r) => r.path === '/api/queue' && r.method === 'POST')).toBe(true);
  });

  it('cancel() interrupts a running prompt with its prompt_id', async () => {
    const c = client();
    stub.options.autoRun = false;
    const job = await c.submit(graph);
    stub.onNode = async (_job, nodeId) => {
      if (nodeId === '1') await job.cancel();
    };
    void stub.runNext();
    const err = await job.result().catch((e: unknown) => e);
    expect(isInterruptedError(err)).toBe(true);
    expect(stub.requests.find((r) => r.path === '/api/interrupt')?.body).toEqual({ prompt_id: job.promptId });
  });

  it('a runtime error rejects with ExecutionError, an OOM with OutOfMemoryError', async () => {
    const c = client();
    const failing = await c.submit({ ...graph, '3': { class_type: 'FailNode', inputs: {} } });
    const err = await failing.result().catch((e: unknown) => e);
    expect(isExecutionError(err)).toBe(true);
    expect(isOutOfMemoryError(err)).toBe(false);
    expect(err).toMatchObject({ nodeId: '3', nodeType: 'FailNode', exceptionType: 'RuntimeError' });
    const oom = await c.submit({ ...graph, '3': { class_type: 'OomNode', inputs: {} } });
    const oomErr = await oom.result().catch((e: unknown) => e);
    expect(isOutOfMemoryError(oomErr)).toBe(true);
    expect(isExecutionError(oomErr)).toBe(true);
  });

  it('400 → PromptValidationError rendered one line per problem (real fixture body)', async () => {
    const body = (loadTranscript('05').events as TranscriptHttp[]).find((e) => e.label?.startsWith('combo value not in list'))!.response.json;
    stub.nextPromptError = body;
    const c = client();
    const err = (await c.submit(graph).catch((e: unknown) => e)) as PromptValidationError;
    expect(isPromptValidationError(err)).toBe(true);
    expect(err.nodeErrors['2']!.class_type).toBe('ImageScale');
    expect(err.render().split('\n')).toEqual([
      'Prompt outputs failed validation [prompt_outputs_failed_validation]',
      "  - node 2 (ImageScale) input upscale_method: Value not in list: upscale_method: 'super-resolution' not in ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'] [value_not_in_list]",
    ]);
    expect(err.message).toContain('node 2 (ImageScale) input upscale_method');
  });

  it('a bad combo value on a non-model input does not say to install a model', async () => {
    stub.nextPromptError = (loadTranscript('05').events as TranscriptHttp[]).find((e) => e.label?.startsWith('combo value not in list'))!.response.json;
    const err = (await client().submit(graph).catch((e: unknown) => e)) as PromptValidationError;
    expect(err.hint).not.toMatch(/install|model/);
    expect(err.hint).toContain('set node 2 upscale_method to one of the values the worker lists');
  });

  it('a cycle, which ComfyUI rejects with empty node_errors, is named node by node', async () => {
    // ComfyUI 0.3.64's answer to a static link cycle: the outputs fail and no node says why.
    stub.nextPromptError = {
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
      node_errors: {},
    };
    const cyclic: ApiGraph = {
      '1': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: 1, sigma: 1 } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } },
    };
    const err = (await client().submit(cyclic).catch((e: unknown) => e)) as PromptValidationError;
    expect(isPromptValidationError(err)).toBe(true);
    expect(err.message).toContain('the links form a cycle');
    expect(err.hint).toBe('break the cycle 1 (ImageBlur) → 2 (ImageInvert) → 1: a node cannot take its input, directly or through other nodes, from its own output');
    expect(err.hint).not.toContain('render()');
    expect(err.render()).toContain('1 (ImageBlur) → 2 (ImageInvert) → 1');
  });

  it('attach() in a new client resolves a finished prompt from history', async () => {
    const first = client();
    const job = await first.submit(graph);
    await job.result();
    await first.close();
    const second = client();
    const again = await second.attach(job.promptId).result();
    expect(again.outputs['2']).toBeDefined();
    const unknown = second.attach('no-such-prompt');
    expect(isPromptVanishedError(await unknown.result().catch((e: unknown) => e))).toBe(true);
  });
});

describe('deadlines and closing', () => {
  it('timeoutMs rejects result() with TimeoutError while the prompt stays queued', async () => {
    stub.options.autoRun = false;
    const c = client();
    const job = await c.submit(graph, { timeoutMs: 100 });
    await expect(job.result()).rejects.toMatchObject({ code: 'COMFY_TIMEOUT', timeoutMs: 100 });
    expect(stub.pending.map((j) => j.promptId)).toEqual([job.promptId]);
  });

  it('close() rejects unfinished handles with COMFY_CLIENT_CLOSED and ends their events', async () => {
    stub.options.autoRun = false;
    const c = client();
    const job = await c.submit(graph);
    const events = collect(job.events);
    await c.close();
    await expect(job.result()).rejects.toMatchObject({ code: 'COMFY_CLIENT_CLOSED' });
    expect((await events).map((e) => e.type)).toEqual(['failed']);
    // The server sees the close a moment later.
    await vi.waitFor(() => expect(stub.openSockets).toBe(0));
  });
});

describe('auth', () => {
  it('sends the bearer token on HTTP and on the WebSocket upgrade', async () => {
    await stub.close();
    stub = await startStub({ outputDir: join(dir, 'output'), requireAuth: 'Bearer s3cret' });
    const c = new ComfyClient({ url: stub.url, auth: { type: 'bearer', token: 's3cret' }, headers: { 'X-Trace': 't1' } });
    clients.push(c);
    const job = await c.submit(graph);
    await job.result();
    expect(stub.upgrades[0]!.headers.authorization).toBe('Bearer s3cret');
    expect(stub.upgrades[0]!.headers['x-trace']).toBe('t1');
    expect(stub.requests.every((r) => r.headers.authorization === 'Bearer s3cret')).toBe(true);
    await c.download({ filename: `${job.promptId.slice(0, 8)}_2.png`, subfolder: '', type: 'output' }, join(dir, 'got.png'));
  });

  it('basic auth is encoded; a wrong token gives HttpStatusError 401 with a hint', async () => {
    await stub.close();
    stub = await startStub({ outputDir: join(dir, 'output'), requireAuth: `Basic ${Buffer.from('u:p').toString('base64')}` });
    const ok = new ComfyClient({ url: stub.url, auth: { type: 'basic', username: 'u', password: 'p' } }, { socket: false });
    const bad = new ComfyClient({ url: stub.url, auth: { type: 'bearer', token: 'x' } }, { socket: false });
    clients.push(ok, bad);
    await expect(ok.queue()).resolves.toEqual({ queue_running: [], queue_pending: [] });
    await expect(bad.queue()).rejects.toMatchObject({ code: 'COMFY_HTTP_STATUS', status: 401, hint: expect.stringContaining('credentials') });
  });
});

describe('worker unavailable', () => {
  it('maps a refused connection to WorkerUnavailableError naming the URL', async () => {
    const url = stub.url;
    await stub.close();
    const c = new ComfyClient(url, { socket: false, getRetries: 0 });
    clients.push(c);
    const err = await c.systemStats().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COMFY_WORKER_UNAVAILABLE', reason: 'network', url });
    expect((err as Error).message).toContain('ECONNREFUSED');
    stub = await startStub({ outputDir: join(dir, 'output') });
  });
});

describe('download', () => {
  async function produce(c: ComfyClient) {
    const job = await c.submit(graph);
    return (await job.result()).files[0]!;
  }

  it('writes the file atomically and returns its sha256', async () => {
    const c = client();
    const file = await produce(c);
    const got = await c.download(file, join(dir, 'dl', 'a.png'));
    const { createHash } = await import('node:crypto');
    expect(got).toEqual({ path: join(dir, 'dl', 'a.png'), bytes: 32, sha256: createHash('sha256').update(createHash('sha256').update(file.filename).digest()).digest('hex') });
    expect(await readdir(join(dir, 'dl'))).toEqual(['a.png']);
  });

  it('resumes after a cut connection and a 503, with the same hash', async () => {
    const c = client();
    const file = await produce(c);
    const clean = await c.download(file, join(dir, 'clean.png'));
    stub.viewFaults = { cutAfterBytes: 10, cutTimes: 1, errorTimes: 1, ignoreRange: false };
    const got = await c.download(file, join(dir, 'resumed.png'));
    expect(got.sha256).toBe(clean.sha256);
    expect(stub.requests.some((r) => r.headers.range === 'bytes=10-')).toBe(true);
  });

  it('removes the partial file when every attempt is cut, and leaves dest absent', async () => {
    const c = client({ downloadRetries: 2 });
    const file = await produce(c);
    stub.viewFaults = { cutAfterBytes: 10, cutTimes: 10, errorTimes: 0, ignoreRange: true };
    const err = await c.download(file, join(dir, 'out', 'x.png')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COMFY_WORKER_UNAVAILABLE' });
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('a missing file is an HttpStatusError 404, not retried', async () => {
    const c = client();
    const err = await c.download({ filename: 'nope.png', subfolder: '', type: 'output' }, join(dir, 'n.png')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COMFY_HTTP_STATUS', status: 404 });
    expect(stub.requests.filter((r) => r.path.startsWith('/api/view')).length).toBe(1);
  });
});

describe('upload', () => {
  it('uploads bytes and a path as multipart and returns the LoadImage value', async () => {
    const c = client({ socket: false });
    const up = await c.uploadImage(Buffer.from('png-bytes'), { filename: 'a.png', subfolder: 'story', overwrite: true });
    expect(up).toEqual({ name: 'a.png', subfolder: 'story', type: 'input', inputValue: 'story/a.png' });
    expect(stub.requests.at(-1)!.body).toEqual({ image: '<file a.png 9>', type: 'input', subfolder: 'story', overwrite: 'true' });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'mask.png'), 'mask');
    const mask = await c.uploadMask(join(dir, 'mask.png'), { type: 'temp', originalRef: { filename: 'a.png', subfolder: 'story', type: 'input' } });
    expect(mask.inputValue).toBe('mask.png [temp]');
    expect(stub.requests.at(-1)!.body).toMatchObject({ original_ref: JSON.stringify({ filename: 'a.png', subfolder: 'story', type: 'input' }) });
  });
});
