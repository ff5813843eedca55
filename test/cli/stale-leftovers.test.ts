import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetStore } from '../../src/assets/index.js';
import { removeStaleScratchDirs } from '../../src/platform/scratch-dir.js';
import { cli } from './support/run-cli.js';

/** The pid of a process that has exited (a kill -9'd StoryCore's, for these purposes). */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
}

// Issue 9 item 22: what a kill -9 leaves behind is cleaned at the next start.
describe('leftovers of a killed process', () => {
  it('a dead writer\'s mark in .storycore/writers/ is removed when the store is next opened', async () => {
    const project = mkdtempSync(join(tmpdir(), 'storycore-stale-'));
    const writers = join(project, '.storycore', 'writers');
    mkdirSync(writers, { recursive: true });
    const pid = deadPid();
    writeFileSync(join(writers, `${pid}-0123456789abcdef.json`), JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z', purpose: 'write' }));
    writeFileSync(join(writers, `1-0123456789abcdef.json`), JSON.stringify({ pid: 1, host: hostname(), since: '2026-01-01T00:00:00Z', purpose: 'write' }));
    writeFileSync(join(writers, `7-other-host.json`), JSON.stringify({ pid, host: 'another-host', since: '2026-01-01T00:00:00Z', purpose: 'write' }));
    const store = await AssetStore.open(project);
    try {
      const left = readdirSync(writers);
      expect(left).not.toContain(`${pid}-0123456789abcdef.json`);
      // A live pid (init) and a process on another host are never taken for dead.
      expect(left).toEqual(expect.arrayContaining(['1-0123456789abcdef.json', '7-other-host.json']));
    } finally {
      await store.close();
    }
  });

  it('scratch folders of dead processes (/tmp/storycore-sim-*, -render-*) are removed at the next CLI start; live ones stay', async () => {
    const pid = deadPid();
    const sim = join(tmpdir(), `storycore-sim-${pid}-AbC123`);
    const render = join(tmpdir(), `storycore-render-${pid}-XyZ789`);
    const mine = join(tmpdir(), `storycore-render-${process.pid}-Mine01`);
    for (const dir of [sim, render, mine]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'segment.mp4'), 'x');
    }
    try {
      const run = await cli(['templates', 'list', '--json']);
      expect(run.code).toBe(0);
      expect(existsSync(sim)).toBe(false);
      expect(existsSync(render)).toBe(false);
      expect(existsSync(mine)).toBe(true);
    } finally {
      execFileSync('rm', ['-rf', sim, render, mine]);
    }
  });

  it('folders named before scratch folders carried a pid go only when older than a day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'storycore-scratch-root-'));
    const old = join(dir, 'storycore-sim-AbC123');
    const fresh = join(dir, 'storycore-render-XyZ789');
    mkdirSync(old);
    mkdirSync(fresh);
    const twoDaysAgo = (Date.now() - 48 * 3600_000) / 1000;
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    expect(await removeStaleScratchDirs(dir)).toEqual(['storycore-sim-AbC123']);
    expect(existsSync(fresh)).toBe(true);
  });
});
