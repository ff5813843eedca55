import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkerRegistry, workersFile } from '../../src/workers/registry.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'storycore-registry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configured = [{ name: 'studio-a', url: 'http://10.0.0.1:8188/', auth: { type: 'bearer' as const, token: 'config-secret' }, tags: ['flux'], maxQueued: 3 }];

describe('worker registry', () => {
  it('adds, lists and removes local workers, persisted across instances', async () => {
    const file = workersFile(dir);
    const registry = await WorkerRegistry.open({ file, configured });
    await registry.add({ url: 'http://127.0.0.1:8190/', tags: ['sdxl', 'sdxl', 'video'] });
    await registry.add({ url: 'https://gpu.example.com', name: 'cloud', token: 'tok-123', maxQueued: 4 });

    const reopened = await WorkerRegistry.open({ file, configured });
    expect(reopened.summaries().map((w) => [w.name, w.source, w.url])).toEqual([
      ['studio-a', 'config', 'http://10.0.0.1:8188'],
      ['127.0.0.1:8190', 'local', 'http://127.0.0.1:8190'],
      ['cloud', 'local', 'https://gpu.example.com'],
    ]);
    expect(reopened.get('127.0.0.1:8190').tags).toEqual(['sdxl', 'video']);
    expect(reopened.endpoint('cloud')).toEqual({ url: 'https://gpu.example.com', name: 'cloud', auth: { type: 'bearer', token: 'tok-123' } });
    expect(reopened.get('cloud').maxQueued).toBe(4);

    await reopened.remove('127.0.0.1:8190');
    const again = await WorkerRegistry.open({ file, configured });
    expect(again.entries().map((w) => w.name)).toEqual(['studio-a', 'cloud']);
  });

  it('stores tokens in a private file but never in summaries', async () => {
    const file = workersFile(dir);
    const registry = await WorkerRegistry.open({ file, configured });
    await registry.add({ url: 'http://127.0.0.1:8190', name: 'secret-one', token: 'tok-very-secret' });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('tok-very-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const shown = JSON.stringify(registry.summaries());
    expect(shown).not.toContain('tok-very-secret');
    expect(shown).not.toContain('config-secret');
    expect(registry.summaries().find((w) => w.name === 'secret-one')?.auth).toBe('bearer');
  });

  it('rejects duplicate names and URLs, unknown workers and configured ones', async () => {
    const registry = await WorkerRegistry.open({ file: workersFile(dir), configured, configFile: 'studio.yaml' });
    await registry.add({ url: 'http://127.0.0.1:8190', name: 'one' });
    await expect(registry.add({ url: 'http://127.0.0.1:8191', name: 'one' })).rejects.toMatchObject({ code: 'WORKER_DUPLICATE', field: 'name' });
    await expect(registry.add({ url: 'http://127.0.0.1:8191', name: 'studio-a' })).rejects.toMatchObject({ code: 'WORKER_DUPLICATE' });
    await expect(registry.add({ url: 'http://127.0.0.1:8190/', name: 'two' })).rejects.toMatchObject({ code: 'WORKER_DUPLICATE', field: 'url', existing: 'one' });
    await expect(registry.remove('nope')).rejects.toMatchObject({ code: 'WORKER_UNKNOWN', hint: expect.stringContaining('studio-a, one') });
    await expect(registry.remove('studio-a')).rejects.toMatchObject({ code: 'WORKER_IN_CONFIG', hint: expect.stringContaining('studio.yaml') });
    expect(registry.entries()).toHaveLength(2);
  });

  it('refuses URLs that are not http(s) worker addresses', async () => {
    const registry = await WorkerRegistry.open({ file: workersFile(dir) });
    for (const url of ['ftp://x:1', 'localhost:8188', 'http:/x', 'http://user:pw@host:8188', 'not a url']) {
      await expect(registry.add({ url })).rejects.toMatchObject({ code: 'WORKER_URL_INVALID' });
    }
    expect(registry.entries()).toEqual([]);
  });

  it('remembers last known health for known workers only', async () => {
    const file = workersFile(dir);
    const registry = await WorkerRegistry.open({ file, configured });
    await registry.recordHealth({
      'studio-a': { state: 'healthy', checkedAt: '2026-01-01T00:00:00.000Z', gpuName: 'cuda:0 NVIDIA H100' },
      ghost: { state: 'down', checkedAt: '2026-01-01T00:00:00.000Z' },
    });
    const reopened = await WorkerRegistry.open({ file, configured });
    expect(reopened.summaries()[0]?.lastKnown).toMatchObject({ state: 'healthy', gpuName: 'cuda:0 NVIDIA H100' });
    expect(reopened.lastKnown('ghost')).toBeUndefined();
  });

  it('reports a damaged file with a typed error', async () => {
    const file = workersFile(dir);
    await writeFile(file, '{"version": 1, "workers": [{"name": 3}]}');
    await expect(WorkerRegistry.open({ file })).rejects.toMatchObject({ code: 'WORKER_LIST_INVALID' });
    await writeFile(file, '{oops');
    await expect(WorkerRegistry.open({ file })).rejects.toMatchObject({ code: 'WORKER_LIST_INVALID', message: expect.stringContaining('not valid JSON') });
  });
});
