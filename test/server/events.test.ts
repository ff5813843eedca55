import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingService } from '../support/services.js';
import { readEvents, runEnded, startHarness, type Harness, type SseEvent } from './support/server-harness.js';

function expectOnceInOrder(received: SseEvent[], expected: { id: number }[]): void {
  expect(received.map((e) => e.id)).toEqual(expected.map((e) => e.id));
}

describe.skipIf(missingService('ffmpeg', 'ffmpeg'))('SSE: every event once, in order, across reconnects and restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'storycore-sse-'));
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a client that disconnects mid-run and reconnects with Last-Event-ID misses nothing and gets nothing twice', async () => {
    h = await startHarness({ sim: 2, dir });
    await h.call('POST', '/api/projects', { body: { id: 'sse', from: 'sample' } });
    const start = h.server.ctx.events.lastId();
    const run = (await h.call('POST', '/api/projects/sse/runs', { body: { kind: 'generate' } })).body;
    const url = `${h.server.url}/api/events?project=sse`;
    const first = await readEvents(url, h.keys.read, { lastEventId: start, until: (e) => e.filter((x) => x.event === 'task').length >= 4 });
    expect(runEnded(run.id)(first)).toBe(false);
    const rest = await readEvents(url, h.keys.read, { lastEventId: first.at(-1)!.id, until: runEnded(run.id) });
    const all = [...first, ...rest];
    expectOnceInOrder(all, h.server.ctx.events.since(start, 'sse').filter((e) => e.id <= all.at(-1)!.id));
  });

  it('the same holds across a server restart, and the interrupted run is resumed and completes', async () => {
    // Workers outside the server, as in production: they keep running while it restarts.
    const { filesForFolder } = await import('../../src/catalog/models/index.js');
    const { startEmulator } = await import('../../src/sim/index.js');
    const emulators = [await startEmulator({ name: 'gpu-a', timeScale: 0.02, profile: 'rtx4090', models: filesForFolder() }), await startEmulator({ name: 'gpu-b', timeScale: 0.02, profile: 'rtx4090', models: filesForFolder() })];
    const workers = emulators.map((e) => ({ name: e.name, url: e.url }));
    await h!.stop();
    // In one process the stopped server's leases are not recognisably dead: a short lease lets them expire.
    h = await startHarness({ workers, dir, leaseMs: 3000 });
    await h.call('POST', '/api/projects', { body: { id: 'restart', from: 'sample' } });
    const key = h!.keys.read;
    const start = h!.server.ctx.events.lastId();
    const run = (await h!.call('POST', '/api/projects/restart/runs', { body: { kind: 'generate' } })).body;
    const before = await readEvents(`${h!.server.url}/api/events?project=restart`, key, { lastEventId: start, until: (e) => e.filter((x) => x.event === 'task' && x.data.task.status === 'ran').length >= 2 });
    await h!.server.close();
    h = await startHarness({ workers, dir, leaseMs: 3000 });
    // The keys were stored by the first server: the old read key still works.
    const after = await readEvents(`${h.server.url}/api/events?project=restart`, key, { lastEventId: before.at(-1)!.id, until: runEnded(run.id) });
    const all = [...before, ...after];
    expectOnceInOrder(all, h.server.ctx.events.since(start, 'restart').filter((e) => e.id <= all.at(-1)!.id));
    expect(after.some((e) => e.event === 'run' && e.data.run === run.id && e.data.state === 'resumed')).toBe(true);
    expect(after.find((e) => e.event === 'run' && e.data.run === run.id && e.data.state === 'completed')).toBeDefined();
    // No prompt ran twice: one submission per task across both workers.
    const summary = h.server.ctx.runs.get(run.id)!.summary as { tasks: number };
    expect(emulators.reduce((n, e) => n + e.stats.submissions, 0)).toBe(summary.tasks);
    await Promise.all(emulators.map((e) => e.close()));
  });
});
