/* eslint-disable @typescript-eslint/no-explicit-any -- replies are read as the JSON the API sends; the schemas are tested by openapi.test.ts */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingService } from '../support/services.js';
import { readEvents, runEnded, startHarness, type Harness } from './support/server-harness.js';

const STORY = `# The Keeper

The keeper climbs the stairs of the lighthouse. He lights the lamp.

The storm breaks over the sea. Waves hit the rocks.
`;

describe.skipIf(missingService('ffmpeg', 'ffmpeg'))('the whole flow by API with a generate key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: 2 });
  });
  afterAll(async () => h?.stop());

  it('creates from text, generates with live events, renders, and the downloaded cut has the sha256 the run reports', async () => {
    const key = h.keys.generate;
    const created = await h.call('POST', '/api/projects', { key, body: { id: 'keeper', from: 'text', text: STORY } });
    expect(created.status).toBe(201);
    expect(created.body.shots).toBeGreaterThan(1);

    const start = h.server.ctx.events.lastId();
    const run = await h.call('POST', '/api/projects/keeper/runs', { key, body: { kind: 'generate' } });
    expect(run.status).toBe(202);
    const events = await readEvents(`${h.server.url}/api/events?project=keeper`, key, { lastEventId: start, until: runEnded(run.body.id) });
    const end = events.find((e) => e.event === 'run' && e.data.run === run.body.id && e.data.state !== 'running');
    expect(end?.data.state).toBe('completed');
    const tasks = events.filter((e) => e.event === 'task' && e.data.run === run.body.id);
    const ran = new Set(tasks.filter((e) => e.data.task.status === 'ran').map((e) => e.data.task.key));
    expect(ran.size).toBe(end!.data.summary.tasks);
    expect(tasks.some((e) => e.data.task.status === 'running')).toBe(true);
    // Node and step progress, and sampler previews, of the run's tasks.
    const progress = events.filter((e) => e.event === 'progress' && e.data.run === run.body.id);
    expect(progress.some((e) => e.data.task && e.data.step > 0 && e.data.total >= e.data.step)).toBe(true);
    expect(progress.some((e) => e.data.task && typeof e.data.node === 'string' && e.data.step === undefined)).toBe(true);
    const previews = events.filter((e) => e.event === 'preview' && e.data.run === run.body.id);
    expect(previews.length).toBeGreaterThan(0);
    expect(previews[0]!.data.dataUrl).toMatch(/^data:image\/(jpeg|png);base64,/);
    // ids strictly increase: each event once, in order
    for (let i = 1; i < events.length; i++) expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id);

    const shots = await h.call('GET', '/api/projects/keeper/shots', { key: h.keys.read });
    expect(shots.status).toBe(200);
    const keyframe = shots.body.shots[0].tasks.find((t: any) => t.stage === 'keyframe');
    expect(keyframe.state).toBe('stored');
    const sha = keyframe.outputs[0].sha256 as string;
    const asset = await fetch(`${h.server.url}/api/projects/keeper/assets/${sha}`, { headers: { authorization: `Bearer ${h.keys.read}` } });
    const bytes = Buffer.from(await asset.arrayBuffer());
    expect(asset.headers.get('etag')).toBe(`"${sha}"`);
    expect(asset.headers.get('content-type')).toBe('image/png');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
    const part = await fetch(`${h.server.url}/api/projects/keeper/assets/${sha}`, { headers: { authorization: `Bearer ${h.keys.read}`, range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 8));
    const thumb = await fetch(`${h.server.url}/api/projects/keeper/assets/${sha}?thumb=128`, { headers: { authorization: `Bearer ${h.keys.read}` } });
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const manifest = await h.call('GET', `/api/projects/keeper/manifests/${sha}`, { key: h.keys.read });
    expect(manifest.status).toBe(200);
    expect(JSON.stringify(manifest.body)).toContain(keyframe.templateId);

    const jobs = await h.call('GET', '/api/projects/keeper/jobs?state=completed', { key: h.keys.read });
    expect(jobs.status).toBe(200);
    expect(jobs.body.jobs.map((j: any) => j.task).sort()).toEqual([...ran].sort());
    expect(jobs.body.jobs.every((j: any) => j.promptId && j.worker)).toBe(true);

    const render = await h.call('POST', '/api/projects/keeper/runs', { key, body: { kind: 'render' } });
    expect(render.status).toBe(202);
    const rendered = await readEvents(`${h.server.url}/api/events?project=keeper`, key, { lastEventId: end!.id, until: runEnded(render.body.id) });
    const renderEnd = rendered.find((e) => e.event === 'run' && e.data.run === render.body.id && e.data.state !== 'running')!;
    expect(renderEnd.data.state).toBe('completed');
    const cut = await fetch(`${h.server.url}/api/projects/keeper/cut`, { headers: { authorization: `Bearer ${key}` } });
    expect(cut.status).toBe(200);
    expect(cut.headers.get('content-type')).toBe('video/mp4');
    const cutBytes = Buffer.from(await cut.arrayBuffer());
    expect(createHash('sha256').update(cutBytes).digest('hex')).toBe(renderEnd.data.summary.sha256);

    // Submissions: each task once across both emulated workers.
    const submissions = h.server.emulators.reduce((n, e) => n + e.stats.submissions, 0);
    expect(submissions).toBe(end!.data.summary.ran);
    // The same generate again submits nothing.
    const again = await h.call('POST', '/api/projects/keeper/runs', { key, body: { kind: 'generate' } });
    const againEnd = await h.server.ctx.runs.settled(again.body.id);
    expect(againEnd?.state).toBe('completed');
    expect((againEnd?.summary as any).ran).toBe(0);
    expect(h.server.emulators.reduce((n, e) => n + e.stats.submissions, 0)).toBe(submissions);
    // The key that drove the whole run never appears in the server's logs.
    const logs = h.logs.join('');
    expect(logs).toContain('request completed');
    for (const k of Object.values(h.keys)) expect(logs).not.toContain(k.slice(4, 20));
  });

  it('says per worker which templates run and what is missing; builds and preflights a template', async () => {
    const status = await h.call('GET', '/api/models/status', { key: h.keys.read });
    expect(status.status).toBe(200);
    expect(status.body.workers.map((w: any) => w.worker)).toEqual(['sim-1', 'sim-2']);
    const sd15 = status.body.workers[0].templates.find((t: any) => t.template === 'sd15-t2i');
    expect(sd15).toMatchObject({ runs: true, missing: { nodePacks: [], models: [] } });
    // The emulated rtx4090s have every catalogued model and node: only what needs more VRAM is refused, with the reason.
    expect(status.body.workers[0].templates.length).toBeGreaterThan(20);
    const refused = status.body.workers[0].templates.filter((t: any) => !t.runs);
    expect(refused.map((t: any) => t.template).sort()).toEqual(['hunyuan15-sr', 'qwen-image-layered']);
    for (const t of refused) expect(t.problems[0].message).toMatch(/needs about [\d.]+ GB of VRAM/);
    const built = await h.call('POST', '/api/templates/sd15-t2i/build', { key: h.keys.read, body: { params: { width: 640, height: 384 } } });
    expect(built.status).toBe(200);
    expect(JSON.stringify(built.body.graph)).toContain('"width":640');
    const bad = await h.call('POST', '/api/templates/sd15-t2i/build', { key: h.keys.read, body: { params: { width: 'wide' } } });
    expect(bad.status).toBe(400);
    const checked = await h.call('POST', '/api/templates/sd15-t2i/preflight', { key: h.keys.read, body: { worker: 'sim-1' } });
    expect(checked.body.ok).toBe(true);
    const none = await h.call('POST', '/api/templates/sd15-t2i/preflight', { key: h.keys.read, body: { worker: 'nope' } });
    expect(none.status).toBe(404);
    expect(none.body.field).toBe('body.worker');
  });

  it('a second run on a project with one running is refused with 409 and the run to follow', async () => {
    const created = await h.call('POST', '/api/projects', { body: { id: 'busy', from: 'sample' } });
    expect(created.status).toBe(201);
    const first = await h.call('POST', '/api/projects/busy/runs', { body: { kind: 'generate' } });
    const second = await h.call('POST', '/api/projects/busy/runs', { body: { kind: 'generate' } });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('RUN_IN_PROGRESS');
    expect(second.body.message).toContain(first.body.id);
    const cancelled = await h.call('POST', `/api/projects/busy/runs/${first.body.id}/cancel`, { body: {} });
    expect(cancelled.status).toBe(202);
    const ended = await h.server.ctx.runs.settled(first.body.id);
    expect(ended?.state).toBe('cancelled');
  });
});
