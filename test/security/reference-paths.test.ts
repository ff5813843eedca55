import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { ProjectState } from '../../src/engine.js';
import { StoryCoreError } from '../../src/errors/storycore-error.js';
import { planStory } from '../../src/engine/story-plan.js';
import { storedTasks } from '../../src/engine/stored-tasks.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/platform/input-limits.js';
import { cli, expectOneLineError } from '../cli/support/run-cli.js';
import { demoProject } from '../pipeline/support/project.js';

/** The demo story with Tom's reference images set to `refs` (YAML flow list items). */
function projectWithReferences(refs: string): { dir: string; story: string } {
  return demoProject((yaml) => yaml.replace('description: a young fisherman in a red knit cap', `description: a young fisherman in a red knit cap\n    references: [ ${refs} ]`));
}

/** The one-line rendering (message — hint) of what `work` rejects with. */
async function oneLineOf(work: Promise<unknown>): Promise<string> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoryCoreError);
  return (error as StoryCoreError).toOneLine();
}

function storeObjects(dir: string): string[] {
  const objects = join(dir, '.storycore', 'objects');
  if (!existsSync(objects)) return [];
  return readdirSync(objects, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe('reference images stay inside the project', () => {
  it.each([
    ['an absolute path', '/etc/passwd'],
    ['a path climbing out', '../../../../../../etc/passwd'],
  ])('refuses %s at plan time, naming the field and the fix, before anything is queued', async (_what, ref) => {
    const project = projectWithReferences(ref);
    const run = await cli(['generate', 'story.yaml', '--sim', '--time-scale', '0.01'], { cwd: project.dir });
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain('characters[1].references[0]');
    expect(line).toContain('outside the project folder');
    expect(line).toContain('paths.allowedDirs');
    expect(existsSync(join(project.dir, '.storycore/queue.sqlite'))).toBe(false);
    expect(storeObjects(project.dir)).toEqual([]);
  });

  it('refuses a symlink inside the project that points out of it', () => {
    const outside = mkdtempSync(join(tmpdir(), 'storycore-outside-'));
    writeFileSync(join(outside, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    const project = projectWithReferences('refs/tom.png');
    mkdirSync(join(project.dir, 'refs'));
    symlinkSync(join(outside, 'id_rsa'), join(project.dir, 'refs/tom.png'));
    expect(() => planStory(project.story, project.dir)).toThrow(/characters\[1\]\.references\[0\]: refs\/tom\.png is a link to .*id_rsa, outside the project folder/);
    // A symlinked folder is followed too.
    const viaDir = projectWithReferences('keys/id_rsa');
    symlinkSync(outside, join(viaDir.dir, 'keys'));
    expect(() => planStory(viaDir.story, viaDir.dir)).toThrow(/outside the project folder/);
  });

  it('accepts a folder the config allows', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'storycore-refs-'));
    await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c00' } }).png().toFile(join(outside, 'tom.png'));
    const project = projectWithReferences(join(outside, 'tom.png'));
    expect(() => planStory(project.story, project.dir)).toThrow(/outside the project folder/);
    const plan = planStory(project.story, project.dir, { allowedDirs: [outside] });
    expect(plan.graph.tasks.find((t) => t.key === 'shot-004/keyframe')!.inputs[0]!.from).toEqual({ file: join(outside, 'tom.png'), character: 'tom' });
  });

  it('names a missing reference at plan time', () => {
    const project = projectWithReferences('nope.png');
    expect(() => planStory(project.story, project.dir)).toThrow(/characters\[1\]\.references\[0\]: nope\.png does not exist/);
  });

  it('checks a reference is an image before storing it (bytes that are not an image never reach the store)', async () => {
    const project = projectWithReferences('tom.png');
    writeFileSync(join(project.dir, 'tom.png'), 'ssh-rsa AAAAB3NzaC1yc2E secret\n');
    const plan = planStory(project.story, project.dir);
    const state = await ProjectState.open(defaultConfig(), project.dir);
    try {
      expect(await oneLineOf(storedTasks(state.store, plan))).toMatch(/the references of character 'tom' \(used by shot-004\): .*tom\.png is not an image — give a PNG, JPEG or WebP file/);
    } finally {
      await state.close();
    }
    expect(storeObjects(project.dir)).toEqual([]);
  });

  it('refuses an image above the byte or pixel limit before storing it', async () => {
    const project = projectWithReferences('tom.png');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#00c' } }).png().toFile(join(project.dir, 'tom.png'));
    const state = await ProjectState.open(defaultConfig(), project.dir);
    try {
      const pixels = planStory(project.story, project.dir, { limits: { ...DEFAULT_INPUT_LIMITS, imageMegapixels: 0.1 } });
      expect(await oneLineOf(storedTasks(state.store, pixels))).toMatch(/400×300, more than 0\.1 megapixels — scale it down, or .*limits\.imageMegapixels/);
      const bytes = planStory(project.story, project.dir, { limits: { ...DEFAULT_INPUT_LIMITS, imageMb: 0.0001 } });
      expect(await oneLineOf(storedTasks(state.store, bytes))).toMatch(/more than the 0\.0001 MB image limit — .*limits\.imageMb/);
    } finally {
      await state.close();
    }
    expect(storeObjects(project.dir)).toEqual([]);
  });
});
