import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { blurGraph, tinyGraph } from './support/graphs.js';
import { getJson, postJson, SocketLog } from './support/socket-log.js';

let emu: Emulator;
let ws: SocketLog;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
  ws = await SocketLog.open(emu.url, { clientId: 'fail-client' });
});

afterAll(async () => {
  ws.close();
  await emu.close();
});

async function submit(graph: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await postJson(emu.url, '/prompt', { prompt: graph, client_id: 'fail-client', ...extra });
  expect(res.status).toBe(200);
  return (res.json as { prompt_id: string }).prompt_id;
}

function messagesOf(id: string, type: string): Array<Record<string, unknown>> {
  return ws
    .json()
    .filter((m) => m.type === type && m.data.prompt_id === id)
    .map((m) => m.data);
}

describe('emulator: node failures (fixture 06)', () => {
  it('reports execution_error with ComfyUI fields, then status and executing null', async () => {
    emu.faults.add({ classType: 'ImageBlur', whenInputs: { blur_radius: 31 }, action: { type: 'raise', exceptionType: 'RuntimeError', message: 'Padding size should be less' }, times: 2 });
    const graph = {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 255 } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: 31, sigma: 1 } },
      '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'error/rc' } },
    };
    const start = ws.frames.length;
    const id = await submit(graph);
    await ws.waitDone(id);
    const types = ws.json().slice(ws.json().length - (ws.frames.length - start)).map((m) => m.type);
    expect(types.slice(-3)).toEqual(['execution_error', 'status', 'executing']);
    const [error] = messagesOf(id, 'execution_error');
    expect(Object.keys(error ?? {})).toEqual([
      'prompt_id',
      'node_id',
      'node_type',
      'executed',
      'exception_message',
      'exception_type',
      'traceback',
      'current_inputs',
      'current_outputs',
      'timestamp',
    ]);
    expect(error).toMatchObject({ node_id: '3', node_type: 'ImageBlur', exception_type: 'RuntimeError', exception_message: 'Padding size should be less\n' });
    expect([...(error?.executed as string[])].sort()).toEqual(['1', '2']);
    expect(Object.keys(error?.current_inputs as object)).toEqual(['image', 'blur_radius', 'sigma']);
    expect((error?.current_inputs as Record<string, unknown[]>).blur_radius).toEqual([31]);
    expect(typeof (error?.current_inputs as Record<string, unknown[]>).image?.[0]).toBe('string');
    expect((error?.traceback as string[]).length).toBeGreaterThan(0);
    expect(messagesOf(id, 'execution_success')).toEqual([]);

    const history = (await getJson(emu.url, `/history/${id}`)) as Record<string, { outputs: unknown; status: { status_str: string; completed: boolean; messages: Array<[string]> } }>;
    expect(history[id]?.status.status_str).toBe('error');
    expect(history[id]?.status.completed).toBe(false);
    expect(history[id]?.status.messages.at(-1)?.[0]).toBe('execution_error');
    expect(history[id]?.outputs).toEqual({});

    // The failed node is not cached, the ones before it are (finding 16).
    const again = await submit(graph);
    await ws.waitDone(again);
    expect(messagesOf(again, 'execution_cached')[0]?.nodes).toEqual(['1', '2']);
    expect(messagesOf(again, 'execution_error')[0]?.executed).toEqual([]);
  });

  it('appends the OOM tips to torch OutOfMemoryError messages', async () => {
    emu.faults.add({ classType: 'ImageInvert', action: { type: 'raise', exceptionType: 'torch.OutOfMemoryError', message: 'Allocation on device ' }, times: 1 });
    const id = await submit({ ...tinyGraph(7), '3': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } }, '4': { class_type: 'PreviewImage', inputs: { images: ['3', 0] } } });
    await ws.waitDone(id);
    const [error] = messagesOf(id, 'execution_error');
    expect(error?.exception_message).toBe(
      'Allocation on device \nThis error means you ran out of memory on your GPU.\n\nTIPS: If the workflow worked before you might have accidentally set the batch_size to a large number.',
    );
  });
});

describe('emulator: interrupts (fixture 07, finding 3)', () => {
  it('lets the running node finish, then names the next node in execution_interrupted', async () => {
    emu.faults.add({ classType: 'ImageBlur', whenInputs: { blur_radius: 15 }, action: { type: 'delay', ms: 300 }, times: 1 });
    const id = await submit(blurGraph(1001));
    await ws.waitFor((f) => f.kind === 'json' && f.type === 'executing' && f.data.node === '10' && f.data.prompt_id === id);
    expect((await postJson(emu.url, '/interrupt', '')).status).toBe(200);
    await ws.waitDone(id);
    const mine = ws.json().filter((m) => m.data.prompt_id === id || m.type === 'status');
    const tail = mine.slice(-5).map((m) => `${m.type}${m.type === 'executing' ? ` ${String(m.data.node)}` : ''}`);
    expect(tail).toEqual(['progress_state', 'executing 11', 'execution_interrupted', 'status', 'executing null']);
    const [interrupted] = messagesOf(id, 'execution_interrupted');
    expect(Object.keys(interrupted ?? {})).toEqual(['prompt_id', 'node_id', 'node_type', 'executed', 'timestamp']);
    expect(interrupted).toMatchObject({ node_id: '11', node_type: 'ImageBlur' });
    expect([...(interrupted?.executed as string[])].sort()).toEqual(['1', '10']);
    const history = (await getJson(emu.url, `/history/${id}`)) as Record<string, { status: { status_str: string; messages: Array<[string]> } }>;
    expect(history[id]?.status.status_str).toBe('error');
    expect(history[id]?.status.messages.at(-1)?.[0]).toBe('execution_interrupted');
  });

  it('ignores an interrupt sent while idle and one naming another prompt', async () => {
    await postJson(emu.url, '/interrupt', {});
    const idle = await submit(tinyGraph(11));
    await ws.waitDone(idle);
    expect(messagesOf(idle, 'execution_success')).toHaveLength(1);

    emu.faults.add({ classType: 'ImageBlur', whenInputs: { blur_radius: 15 }, action: { type: 'delay', ms: 200 }, times: 1 });
    const id = await submit(blurGraph(2002));
    await ws.waitFor((f) => f.kind === 'json' && f.type === 'executing' && f.data.node === '10' && f.data.prompt_id === id);
    await postJson(emu.url, '/interrupt', { prompt_id: 'not-the-running-one' });
    await ws.waitDone(id);
    expect(messagesOf(id, 'execution_success')).toHaveLength(1);
  });
});

describe('emulator: faults', () => {
  it('a crash closes the server: HTTP and sockets die', async () => {
    const dying = await startEmulator({ timeScale: 0, faults: [{ classType: 'EmptyImage', action: { type: 'crash' } }] });
    const socket = await SocketLog.open(dying.url, { clientId: 'x' });
    await postJson(dying.url, '/prompt', { prompt: tinyGraph(1), client_id: 'x' });
    await socket.waitFor(() => socket.closed).catch(() => undefined);
    await expect(async () => {
      for (let i = 0; i < 50 && !socket.closed; i++) await new Promise((r) => setTimeout(r, 20));
      if (!socket.closed) throw new Error('socket still open');
    }).not.toThrow();
    await expect(fetch(`${dying.url}/queue`)).rejects.toThrow();
    await dying.close();
  });
});
