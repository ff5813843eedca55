import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssetStore } from '../../src/assets/index.js';
import { cli } from '../cli/support/run-cli.js';
import { demoProject, generateOnSim } from './support/project.js';

interface GcJson { dryRun: boolean; tasks: { taskHash: string }[]; tasksRemoved: number; objects: { sha256: string }[]; objectsRemoved: number }

async function indexed(dir: string): Promise<Map<string, string[]>> {
  const store = await AssetStore.open(dir);
  try {
    return new Map(store.tasks().map((t) => [t.taskHash, t.outputs.map((o) => o.sha256)]));
  } finally {
    await store.close();
  }
}

/** gc frees the assets of old versions of an edited shot; the current story, the picks and pins stay. */
describe('gc after editing a shot', () => {
  const project = demoProject();

  beforeAll(async () => {
    await generateOnSim(project.story);
    writeFileSync(project.story, readFileSync(project.story, 'utf8').replaceAll('fights the wheel.', 'fights the wheel as lightning strikes.'));
    await generateOnSim(project.story);
  }, 120_000);

  it('--dry-run lists the two old tasks of shot-004 and their outputs, and removes nothing', async () => {
    const after = await indexed(project.dir);
    expect(after.size).toBe(18);
    const run = await cli(['gc', '--dry-run', '--json'], { cwd: project.dir });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as GcJson;
    expect(report.tasksRemoved).toBe(2);
    const dropped = report.tasks.map((t) => t.taskHash);
    const kept = new Set([...after].filter(([h]) => !dropped.includes(h)).flatMap(([, shas]) => shas));
    const freed = dropped.flatMap((h) => after.get(h) ?? []).filter((sha) => !kept.has(sha));
    expect(freed.length).toBeGreaterThanOrEqual(1);
    for (const sha of freed) expect(report.objects.map((o) => o.sha256)).toContain(sha);
    expect((await indexed(project.dir)).size).toBe(18);
    const text = await cli(['gc', '--dry-run'], { cwd: project.dir });
    expect(text.stdout).toContain('no longer in the story');
    expect(text.stdout).toMatch(/would remove 2 old tasks/);
  });

  it('a pinned old task is kept; gc then removes the other one and its files, and the story stays fully stored', async () => {
    const after = await indexed(project.dir);
    const dry = JSON.parse((await cli(['gc', '--dry-run', '--json'], { cwd: project.dir })).stdout) as GcJson;
    const [pinned, other] = dry.tasks.map((t) => t.taskHash);
    writeFileSync(join(project.dir, '.storycore', 'pins'), `# keep the first version\n${pinned}\n`);
    const run = await cli(['gc', '--json'], { cwd: project.dir });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as GcJson;
    expect(report.tasks.map((t) => t.taskHash)).toEqual([other]);
    const left = await indexed(project.dir);
    expect(left.size).toBe(17);
    expect(left.has(pinned!)).toBe(true);
    for (const sha of after.get(other!) ?? []) {
      if ([...left.values()].flat().includes(sha)) continue;
      expect(existsSync(join(project.dir, '.storycore', 'objects', sha.slice(0, 2), sha))).toBe(false);
    }
    const status = await cli(['status', '--json'], { cwd: project.dir });
    const shots = (JSON.parse(status.stdout) as { shots: { tasks: { state: string }[] }[] }).shots;
    expect(shots.flatMap((s) => s.tasks).every((t) => t.state === 'stored')).toBe(true);
  });

  it('--keep refuses something that is not a task hash', async () => {
    const run = await cli(['gc', '--keep', 'shot-004'], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a task hash');
  });
});
