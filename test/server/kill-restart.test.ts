/* eslint-disable @typescript-eslint/no-explicit-any -- replies are read as the JSON the API sends; the schemas are tested by openapi.test.ts */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { filesForFolder } from '../../src/catalog/models/index.js';
import { KeyStore } from '../../src/server/auth/key-store.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { missingService } from '../support/services.js';
import { freePort } from '../support/real-comfyui.js';

const BIN = fileURLToPath(new URL('../../bin/storycore.js', import.meta.url));

function serve(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--quiet'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('StoryCore API at')) resolve(child);
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err.slice(-2000)}`)));
  });
}

describe.skipIf(missingService('ffmpeg', 'ffmpeg'))('kill -9 the server mid-run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'storycore-kill-'));
  const emulators: Emulator[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(emulators.map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a restarted server resumes the run to completion and no prompt is submitted twice', async () => {
    for (const name of ['gpu-a', 'gpu-b']) emulators.push(await startEmulator({ name, timeScale: 0.05, profile: 'rtx4090', models: filesForFolder() }));
    writeFileSync(join(dir, 'storycore.config.yaml'), `workers:\n${emulators.map((e) => `  - name: ${e.name}\n    url: ${e.url}\n`).join('')}`);
    mkdirSync(join(dir, '.storycore'), { recursive: true });
    const keys = new KeyStore(join(dir, '.storycore', 'server.db'));
    const key = keys.create({ name: 'test', scopes: ['generate'] }).key;
    keys.close();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: await res.json() as any };
    };

    children.push(await serve(dir, port));
    expect((await call('POST', '/api/projects', { id: 'film', from: 'sample' })).status).toBe(201);
    const run = (await call('POST', '/api/projects/film/runs', { kind: 'generate' })).body;
    // Kill it once some tasks ran and others are in flight.
    for (;;) {
      const shots = (await call('GET', '/api/projects/film/shots')).body;
      const states = shots.shots.flatMap((s: any) => s.tasks.map((t: any) => t.state));
      if (states.filter((s: string) => s === 'stored').length >= 3 && states.includes('leased')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    children[0]!.kill('SIGKILL');
    await new Promise((r) => children[0]!.once('exit', r));

    children.push(await serve(dir, port));
    let final: any;
    for (;;) {
      final = (await call('GET', `/api/projects/film/runs/${run.id}`)).body;
      if (final.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(final.state).toBe('completed');
    const shots = (await call('GET', '/api/projects/film/shots')).body;
    const tasks = shots.shots.flatMap((s: any) => s.tasks);
    expect(tasks.every((t: any) => t.state === 'stored')).toBe(true);
    // Every task's prompt was submitted once, across the kill.
    expect(emulators.reduce((n, e) => n + e.stats.submissions, 0)).toBe(tasks.length);
  }, 180_000);
});
