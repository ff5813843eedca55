import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/run-cli.js';

/** Every file under `dir` with its size and mtime: what a read-only command must leave as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        out[relative(dir, path)] = `${s.size} ${s.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return out;
}

// Issue 9 item 13: `status` is read-only and must not write at all (it failed on a full disk).
describe('status writes nothing', () => {
  it('on a fresh project it reports every task and creates no data folder, queue or index', async () => {
    const cwd = tempDir();
    expect((await cli(['init', '.'], { cwd })).code).toBe(0);
    const before = snapshot(cwd);
    const run = await cli(['status', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { shots: unknown[] }).shots.length).toBeGreaterThan(0);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('after a generate it reads the store and the queue and changes no file', async () => {
    const cwd = tempDir();
    expect((await cli(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(join(cwd, 'storycore.config.yaml'), 'sim:\n  workers: 1\n  timeScale: 0.001\n');
    const generate = await cli(['generate', '--sim'], { cwd });
    expect(generate.code, generate.stderr).toBe(0);
    const before = snapshot(cwd);
    const run = await cli(['status', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const states = (JSON.parse(run.stdout) as { shots: { tasks: { state: string }[] }[] }).shots.flatMap((s) => s.tasks.map((t) => t.state));
    expect(new Set(states)).toEqual(new Set(['stored']));
    expect(snapshot(cwd)).toEqual(before);
  }, 120_000);
});
