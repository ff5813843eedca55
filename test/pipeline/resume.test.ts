import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetStore } from '../../src/assets/index.js';
import { demoProject, generateOnSim, REPO } from './support/project.js';

function linkCount(dir: string): number {
  const renders = join(dir, 'renders');
  if (!existsSync(renders)) return 0;
  return readdirSync(renders).flatMap((shot) => readdirSync(join(renders, shot)).filter((f) => /\.(png|mp4)$/.test(f))).length;
}

describe('a killed generate run', () => {
  it('leaves no half-written object or index entry and resumes to completion', async () => {
    const project = demoProject();
    const child = spawn(process.execPath, ['--import', join(REPO, 'node_modules/tsx/dist/loader.mjs'), join(REPO, 'src/cli/main.ts'), 'generate', 'story.yaml', '--sim', '--time-scale', '0.05'], {
      cwd: project.dir,
      env: { PATH: process.env.PATH ?? '' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Kill it mid-way: a few tasks recorded, most not.
    const deadline = Date.now() + 60_000;
    while (linkCount(project.dir) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const linkedBeforeKill = linkCount(project.dir);
    expect(linkedBeforeKill).toBeGreaterThanOrEqual(3);
    expect(linkedBeforeKill).toBeLessThan(16);

    // Every object is whole (its name is its content's hash); every index entry's outputs exist.
    const objects = join(project.dir, '.storycore/objects');
    for (const fan of readdirSync(objects)) {
      for (const name of readdirSync(join(objects, fan))) {
        expect(createHash('sha256').update(readFileSync(join(objects, fan, name))).digest('hex')).toBe(name);
      }
    }
    const store = await AssetStore.open(project.dir);
    let recorded: number;
    try {
      recorded = store.tasks().length;
      for (const task of store.tasks()) expect(await store.lookupTask(task.taskHash)).toBeDefined();
      expect(readdirSync(store.layout.tmp)).toEqual([]);
    } finally {
      await store.close();
    }
    expect(recorded).toBeGreaterThanOrEqual(3);

    const resumed = await generateOnSim(project.story);
    expect(resumed.report.failed).toBe(0);
    expect(resumed.report.cached + resumed.report.ran).toBe(16);
    expect(resumed.report.cached).toBeGreaterThanOrEqual(recorded);
    // Only what was not recorded runs again (a job completed but unrecorded is recorded from the queue).
    expect(resumed.submissions).toBeLessThanOrEqual(16 - recorded);
    expect(linkCount(project.dir)).toBe(16);
  }, 120_000);
});
