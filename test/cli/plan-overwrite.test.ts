import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStory } from '../../src/story/format/index.js';
import { cli, expectOneLineError, tempDir } from './support/run-cli.js';

describe('plan never loses an edited story.yaml', () => {
  it("the README's flow works: init, then plan story.md", async () => {
    const cwd = tempDir();
    expect((await cli(['init', 'my-film'], { cwd })).code).toBe(0);
    const dir = join(cwd, 'my-film');
    expect(existsSync(join(dir, 'story.md'))).toBe(true);
    const run = await cli(['plan', 'story.md'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(loadStory(join(dir, 'story.yaml')).scenes.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'story.yaml.bak'))).toBe(false);
  });

  it('init keeps a story.md that is already there', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'story.md'), '# Mine\n\nA cat sleeps.\n');
    expect((await cli(['init'], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'story.md'), 'utf8')).toBe('# Mine\n\nA cat sleeps.\n');
  });

  it('planning again replaces an unedited plan', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'story.md'), '# One\n\nA cat sleeps on a warm roof.\n');
    expect((await cli(['plan', 'story.md'], { cwd })).code).toBe(0);
    writeFileSync(join(cwd, 'story.md'), '# Two\n\nA dog runs on the beach.\n');
    const again = await cli(['plan', 'story.md'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(loadStory(join(cwd, 'story.yaml')).title).toBe('Two');
  });

  it('refuses to replace an edited story.yaml, and --force keeps it as a backup', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'story.md'), '# One\n\nA cat sleeps on a warm roof.\n');
    expect((await cli(['plan', 'story.md', '--fps', '12'], { cwd })).code).toBe(0);
    const story = join(cwd, 'story.yaml');
    const edited = readFileSync(story, 'utf8').replace(/^fps: 12$/m, 'fps: 30');
    expect(edited).toContain('fps: 30');
    writeFileSync(story, edited);

    const refused = await cli(['plan', 'story.md'], { cwd });
    expect(refused.code).toBe(2);
    const line = expectOneLineError(refused.stderr);
    expect(line).toContain('story.yaml already exists and has edits');
    expect(line).toContain('--force');
    expect(readFileSync(story, 'utf8')).toBe(edited);

    const forced = await cli(['plan', 'story.md', '--force', '--json'], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect((JSON.parse(forced.stdout) as { backup: string }).backup).toBe(`${story}.bak`);
    expect(readFileSync(`${story}.bak`, 'utf8')).toBe(edited);
    expect(loadStory(story).fps).not.toBe(30);

    // A second forced plan over another edit does not overwrite the first backup.
    writeFileSync(story, readFileSync(story, 'utf8').replace(/^title: .*$/m, 'title: Edited again'));
    expect((await cli(['plan', 'story.md', '--force'], { cwd })).code).toBe(0);
    expect(readFileSync(`${story}.bak`, 'utf8')).toBe(edited);
    expect(readFileSync(`${story}.1.bak`, 'utf8')).toContain('title: Edited again');
  });

  it('refuses to replace a hand-written story.yaml', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'story.md'), '# One\n\nA cat sleeps.\n');
    writeFileSync(join(cwd, 'story.yaml'), 'version: 1\ntitle: Mine\n');
    expect((await cli(['plan', 'story.md'], { cwd })).code).toBe(2);
    expect(readFileSync(join(cwd, 'story.yaml'), 'utf8')).toBe('version: 1\ntitle: Mine\n');
  });

  it('demo --out refuses a folder whose story.yaml someone wrote', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'story.yaml'), 'version: 1\ntitle: Mine\n');
    const run = await cli(['demo', '--out', '.', '--time-scale', '0.01'], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toContain('give it an empty folder with --out');
    expect(readFileSync(join(cwd, 'story.yaml'), 'utf8')).toBe('version: 1\ntitle: Mine\n');
  });
});
