import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, tempDir } from './support/run-cli.js';

// Issue 9 item 4: paths.dataDir is where StoryCore keeps its data, for every command.
describe('paths.dataDir', () => {
  it('generate --sim and gc keep the store and the queue under paths.dataDir, not ./.storycore', async () => {
    const cwd = tempDir();
    expect((await cli(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(join(cwd, 'storycore.config.yaml'), 'paths:\n  dataDir: state\nsim:\n  workers: 1\n  timeScale: 0.001\n');
    const run = await cli(['generate', '--sim', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(cwd, '.storycore'))).toBe(false);
    expect(readdirSync(join(cwd, 'state'))).toEqual(expect.arrayContaining(['objects', 'index.sqlite', 'queue.sqlite']));
    const gc = await cli(['gc', '--json'], { cwd });
    expect(gc.code, gc.stderr).toBe(0);
    expect(existsSync(join(cwd, '.storycore'))).toBe(false);
  }, 120_000);

  it.skipIf(!existsSync('/proc/self'))('an uncreatable dataDir ends workers add and generate with one line naming it', { timeout: 20_000 }, async () => {
    const cwd = tempDir();
    expect((await cli(['init', '.'], { cwd })).code).toBe(0);
    const env = { STORYCORE_PATHS__DATA_DIR: '/proc/nope' };
    const add = await cli(['workers', 'add', 'http://127.0.0.1:8188'], { cwd, env });
    expect(add.code).not.toBe(0);
    expect(expectOneLineError(add.stderr)).toMatch(/cannot create folder \/proc\/nope.* — .*paths\.dataDir/);
    const generate = await cli(['generate', '--sim'], { cwd, env });
    expect(generate.code).not.toBe(0);
    expect(expectOneLineError(generate.stderr)).toMatch(/cannot create folder \/proc\/nope.* — .*paths\.dataDir/);
  });
});
