import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { imageGraph } from './support/graphs.js';
import { getJson, png, postJson, SocketLog, upload } from './support/socket-log.js';

// One emulator for the whole file: like the recorded transcripts, the scenarios build on each
// other (file counters, the node cache).
let emu: Emulator;
let ws: SocketLog;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0, comfyui: '0.3.64' });
  ws = await SocketLog.open(emu.url, { clientId: 'run-client' });
  const up = await upload(emu.url, '/upload/image', await png(200, 150, [200, 10, 10]), { filename: 'rc_test.png' });
  expect(up.status).toBe(200);
});

afterAll(async () => {
  ws.close();
  await emu.close();
});

async function run(graph: unknown): Promise<{ id: string; frames: string[]; json: Array<{ type: string; data: Record<string, unknown> }> }> {
  const start = ws.frames.length;
  const res = await postJson(emu.url, '/prompt', { prompt: graph, client_id: 'run-client' });
  expect(res.status).toBe(200);
  const id = (res.json as { prompt_id: string }).prompt_id;
  await ws.waitDone(id);
  const frames = ws.frames.slice(start);
  const sub = Object.assign(Object.create(ws) as SocketLog, { frames });
  return { id, frames: sub.summary(), json: sub.json() };
}

describe('emulator: a normal run (fixture 03)', () => {
  let first: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    first = await run(imageGraph());
  });

  it('sends the messages in ComfyUI order, nodes in its execution order', () => {
    expect(first.frames).toEqual([
      'status 1',
      'status 1',
      'execution_start',
      'execution_cached',
      'ps 1:r',
      'executing 1',
      'ps 1:f',
      'ps 1:f,2:r',
      'executing 2',
      'ps 1:f,2:f',
      'ps 1:f,2:f,5:r',
      'executing 5',
      'executed 5',
      'ps 1:f,2:f,5:f',
      'ps 1:f,2:f,3:r,5:f',
      'executing 3',
      'ps 1:f,2:f,3:f,5:f',
      'ps 1:f,2:f,3:f,4:r,5:f',
      'executing 4',
      'executed 4',
      'ps 1:f,2:f,3:f,4:f,5:f',
      'execution_success',
      'status 0',
      'executing null',
    ]);
  });

  it('writes floats around executed nodes and names files like ComfyUI', () => {
    const running = ws.frames.find((f) => f.kind === 'json' && f.type === 'progress_state');
    expect(running?.kind === 'json' && running.text).toContain('"value": 0.0, "max": 1.0, "state": "running"');
    const saved = first.json.find((m) => m.type === 'executed' && m.data.node === '4');
    expect(saved?.data.output).toEqual({ images: [{ filename: 'rc_00001_.png', subfolder: 'fixture', type: 'output' }] });
    const preview = first.json.find((m) => m.type === 'executed' && m.data.node === '5');
    const previewFile = (preview?.data.output as { images: Array<{ filename: string; type: string }> }).images[0];
    expect(previewFile?.filename).toMatch(/^ComfyUI_temp_[a-z]{5}_00001_\.png$/);
    expect(previewFile?.type).toBe('temp');
  });

  it('stores the history entry of §2.7', async () => {
    const history = (await getJson(emu.url, `/history/${first.id}`)) as Record<string, Record<string, unknown>>;
    const entry = history[first.id] as { prompt: unknown[]; outputs: Record<string, unknown>; status: Record<string, unknown>; meta: Record<string, unknown> };
    expect(Object.keys(entry)).toEqual(['prompt', 'outputs', 'status', 'meta']);
    expect(entry.prompt[0]).toBe(0);
    expect(entry.prompt[1]).toBe(first.id);
    expect(entry.prompt[3]).toEqual({ client_id: 'run-client' });
    expect([...(entry.prompt[4] as string[])].sort()).toEqual(['4', '5']);
    expect(Object.keys(entry.outputs)).toEqual(['4', '5']);
    expect(entry.status.status_str).toBe('success');
    expect(entry.status.completed).toBe(true);
    expect((entry.status.messages as Array<[string, unknown]>).map((m) => m[0])).toEqual(['execution_start', 'execution_cached', 'execution_success']);
    expect(entry.meta['4']).toEqual({ node_id: '4', display_node: '4', parent_node: null, real_node_id: '4' });
    // The file really exists and /view serves it.
    const view = await fetch(`${emu.url}/view?filename=rc_00001_.png&subfolder=fixture&type=output`);
    expect(view.status).toBe(200);
    expect(view.headers.get('content-type')).toBe('image/png');
  });

  it('replays a fully cached run: no executing, same filenames, int progress values (fixture 04)', async () => {
    const again = await run(imageGraph());
    expect(again.frames).toEqual(['status 1', 'status 1', 'execution_start', 'execution_cached', 'executed 4', 'ps 4:f', 'executed 5', 'ps 4:f,5:f', 'execution_success', 'status 0', 'executing null']);
    const cached = again.json.find((m) => m.type === 'execution_cached');
    expect(cached?.data.nodes).toEqual(['1', '2', '3', '4', '5']);
    const replay = again.json.find((m) => m.type === 'executed' && m.data.node === '4');
    expect(replay?.data.output).toEqual({ images: [{ filename: 'rc_00001_.png', subfolder: 'fixture', type: 'output' }] });
    const snapshot = ws.frames.filter((f) => f.kind === 'json' && f.type === 'progress_state').at(-1);
    expect(snapshot?.kind === 'json' && snapshot.text).toContain('"value": 1, "max": 1, "state": "finished"');
    const history = (await getJson(emu.url, `/history/${again.id}`)) as Record<string, { outputs: unknown }>;
    expect(history[again.id]?.outputs).toEqual({
      '4': { images: [{ filename: 'rc_00001_.png', subfolder: 'fixture', type: 'output' }] },
      '5': (first.json.find((m) => m.type === 'executed' && m.data.node === '5')?.data.output as unknown),
    });
  });

  it('re-runs only what changed, and the classic cache forgets what the new prompt lacks', async () => {
    const variant = await run(imageGraph(160));
    expect(variant.json.find((m) => m.type === 'execution_cached')?.data.nodes).toEqual(['1']);
    expect(variant.frames.filter((f) => f.startsWith('executing ') && f !== 'executing null')).toEqual(['executing 2', 'executing 5', 'executing 3', 'executing 4']);
    const saved = variant.json.find((m) => m.type === 'executed' && m.data.node === '4');
    expect((saved?.data.output as { images: Array<{ filename: string }> }).images[0]?.filename).toBe('rc_00002_.png');
    // The 128-wide nodes were dropped when the 160 variant ran: only LoadImage is shared.
    const back = await run(imageGraph(128));
    expect(back.json.find((m) => m.type === 'execution_cached')?.data.nodes).toEqual(['1']);
  });

  it('renumbered nodes still hit the cache (keys ignore ids)', async () => {
    const renumbered = Object.fromEntries(
      Object.entries(imageGraph(128)).map(([id, node]) => [
        `n${id}`,
        { ...node, inputs: Object.fromEntries(Object.entries(node.inputs).map(([k, v]) => [k, Array.isArray(v) ? [`n${String(v[0])}`, v[1]] : v])) },
      ]),
    );
    const res = await run(renumbered);
    expect(res.json.find((m) => m.type === 'execution_cached')?.data.nodes).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('POST /free {free_memory} wipes the node cache (fixture 09)', async () => {
    const free = await postJson(emu.url, '/free', { unload_models: true, free_memory: true });
    expect(free.status).toBe(200);
    expect(free.text).toBe('');
    const res = await run(imageGraph(128));
    expect(res.json.find((m) => m.type === 'execution_cached')?.data.nodes).toEqual([]);
    expect((await postJson(emu.url, '/free', '')).status).toBe(500);
  });

  it('counts submissions and executions per prompt id', () => {
    expect(emu.stats.submissions).toBeGreaterThanOrEqual(6);
    expect(emu.stats.byPromptId[first.id]).toMatchObject({ submissions: 1, executions: 1, nodesExecuted: 5 });
  });
});
