import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { blurGraph, tinyGraph } from './support/graphs.js';
import { postJson, SocketLog } from './support/socket-log.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
});

afterAll(async () => {
  await emu.close();
});

const wsGraph = (color: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 32, height: 24, batch_size: 3, color } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'SaveImageWebsocket', inputs: { images: ['2', 0] } },
});

describe('emulator WebSocket protocol', () => {
  it('greets with status+sid, generates 32-hex sids, answers only the first feature_flags', async () => {
    const anon = await SocketLog.open(emu.url, { flags: null });
    const sid = (anon.json()[0]?.data as { sid: string }).sid;
    expect(sid).toMatch(/^[0-9a-f]{32}$/);
    const named = await SocketLog.open(emu.url, { clientId: 'flags', path: '/api/ws' });
    expect(named.json().map((m) => m.type)).toEqual(['status', 'feature_flags']);
    named.ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: false } }));
    await new Promise((r) => setTimeout(r, 50));
    expect(named.json()).toHaveLength(2);
    anon.close();
    named.close();
  });

  it('without client_id: only status, progress_state and execution_interrupted reach sockets (finding 14)', async () => {
    const observer = await SocketLog.open(emu.url, { clientId: 'observer' });
    const ok = (await postJson(emu.url, '/prompt', { prompt: tinyGraph(42) })).json as { prompt_id: string };
    await observer.waitFor((f) => f.kind === 'json' && f.type === 'status' && (f.data.status as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining === 0, 2);
    expect(new Set(observer.json().slice(2).map((m) => m.type))).toEqual(new Set(['status', 'progress_state']));
    emu.faults.add({ classType: 'ImageBlur', action: { type: 'delay', ms: 200 }, times: 1 });
    const slow = (await postJson(emu.url, '/prompt', { prompt: blurGraph(9) })).json as { prompt_id: string };
    await observer.waitFor((f) => f.kind === 'json' && f.type === 'progress_state' && f.data.prompt_id === slow.prompt_id && '10' in (f.data.nodes as object));
    await postJson(emu.url, '/interrupt', {});
    const interrupted = await observer.waitFor((f) => f.kind === 'json' && f.type === 'execution_interrupted');
    expect(interrupted.kind === 'json' && interrupted.data.prompt_id).toBe(slow.prompt_id);
    expect(observer.json().some((m) => m.type === 'executing' || (m.data.prompt_id === ok.prompt_id && m.type !== 'progress_state'))).toBe(false);
    observer.close();
  });

  it('replays the running node to a socket reconnecting mid-job, before the feature_flags reply (finding 12)', async () => {
    const first = await SocketLog.open(emu.url, { clientId: 'reconnect' });
    // Long enough that the reconnect lands while node 10 runs even on a loaded 2-core machine.
    emu.faults.add({ classType: 'ImageBlur', action: { type: 'delay', ms: 3000 }, times: 1 });
    const id = ((await postJson(emu.url, '/prompt', { prompt: blurGraph(77), client_id: 'reconnect' })).json as { prompt_id: string }).prompt_id;
    await first.waitFor((f) => f.kind === 'json' && f.type === 'executing' && f.data.node === '10');
    first.close();
    await new Promise((r) => setTimeout(r, 30));
    const second = await SocketLog.open(emu.url, { clientId: 'reconnect' });
    expect(second.json().slice(0, 3).map((m) => [m.type, m.data.node])).toEqual([
      ['status', undefined],
      ['executing', '10'],
      ['feature_flags', undefined],
    ]);
    expect(second.json()[1]?.data).toEqual({ node: '10' });
    await second.waitDone(id);
    second.close();
  });

  it('a duplicate clientId deafens the newer socket once the older one closes (finding 13)', async () => {
    const d1 = await SocketLog.open(emu.url, { clientId: 'dup' });
    const d2 = await SocketLog.open(emu.url, { clientId: 'dup' });
    const p1 = ((await postJson(emu.url, '/prompt', { prompt: tinyGraph(5, 'dup/rc'), client_id: 'dup' })).json as { prompt_id: string }).prompt_id;
    await d2.waitDone(p1);
    expect(d1.json().some((m) => m.data.prompt_id === p1)).toBe(false);
    d1.close();
    await new Promise((r) => setTimeout(r, 50));
    const before = d2.frames.length;
    const watcher = await SocketLog.open(emu.url, { clientId: 'watcher' });
    const p2 = ((await postJson(emu.url, '/prompt', { prompt: tinyGraph(6, 'dup/rc'), client_id: 'dup' })).json as { prompt_id: string }).prompt_id;
    await watcher.waitFor((f) => f.kind === 'json' && f.type === 'status' && (f.data.status as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining === 0, 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(d2.frames.length).toBe(before);
    expect(p2).toBeTruthy();
    d2.close();
    watcher.close();
  });

  it('SaveImageWebsocket sends type-4 frames to flagged clients, type-1 PNG frames otherwise (fixture 11)', async () => {
    const meta = await SocketLog.open(emu.url, { clientId: 'meta' });
    const legacy = await SocketLog.open(emu.url, { clientId: 'legacy', flags: null });
    const m = ((await postJson(emu.url, '/prompt', { prompt: wsGraph(3368601), client_id: 'meta' })).json as { prompt_id: string }).prompt_id;
    await meta.waitDone(m);
    const metaTail = meta.summary().slice(meta.summary().indexOf('executing 3'));
    expect(metaTail.slice(0, 7)).toEqual(['executing 3', 'ps 1:f,2:f,3:r', 'binary4', 'progress 0/3', 'ps 1:f,2:f,3:r', 'binary4', 'progress 1/3']);
    const frame = meta.frames.find((f) => f.kind === 'binary');
    if (frame?.kind !== 'binary') throw new Error('no binary frame');
    const metaLength = frame.bytes.readUInt32BE(4);
    expect(JSON.parse(frame.bytes.subarray(8, 8 + metaLength).toString())).toEqual({
      node_id: '3', prompt_id: m, display_node_id: '3', parent_node_id: null, real_node_id: '3', image_type: 'image/png',
    });
    expect(meta.json().some((x) => x.type === 'executed')).toBe(false);
    // Second run: upstream cached, the websocket node runs again (IS_CHANGED is time).
    const again = ((await postJson(emu.url, '/prompt', { prompt: wsGraph(3368601), client_id: 'meta' })).json as { prompt_id: string }).prompt_id;
    await meta.waitDone(again);
    expect(meta.json().find((x) => x.type === 'execution_cached' && x.data.prompt_id === again)?.data.nodes).toEqual(['1', '2']);

    const l = ((await postJson(emu.url, '/prompt', { prompt: wsGraph(10053171), client_id: 'legacy' })).json as { prompt_id: string }).prompt_id;
    await legacy.waitDone(l);
    const legacyTail = legacy.summary().slice(legacy.summary().indexOf('executing 3'));
    expect(legacyTail.slice(0, 4)).toEqual(['executing 3', 'ps 1:f,2:f,3:r', 'progress 0/3', 'binary1']);
    const legacyFrame = legacy.frames.find((f) => f.kind === 'binary');
    expect(legacyFrame?.kind === 'binary' && legacyFrame.bytes.readUInt32BE(4)).toBe(2);
    meta.close();
    legacy.close();
  });

  it('dropAll closes every socket; setSilent keeps them open but mute', async () => {
    const a = await SocketLog.open(emu.url, { clientId: 'silent' });
    emu.sockets.setSilent(true);
    const id = ((await postJson(emu.url, '/prompt', { prompt: tinyGraph(99), client_id: 'silent' })).json as { prompt_id: string }).prompt_id;
    const finished = async (): Promise<boolean> => id in ((await (await fetch(`${emu.url}/history/${id}`)).json()) as object);
    for (let i = 0; i < 100 && !(await finished()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await finished()).toBe(true);
    expect(a.json().some((m) => m.data.prompt_id === id)).toBe(false);
    expect(a.closed).toBe(false);
    emu.sockets.setSilent(false);
    emu.sockets.dropAll();
    await a.waitFor(() => a.closed).catch(() => undefined);
    for (let i = 0; i < 50 && !a.closed; i++) await new Promise((r) => setTimeout(r, 20));
    expect(a.closed).toBe(true);
  });
});
