import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, tempDir } from '../cli/support/run-cli.js';

// Found by the config fuzz (seed 20261208): an empty key vanished from the message, which then named no field.
describe('an unknown key that is empty or dotted is shown quoted', () => {
  it.each([
    ['"":\n  "": null\n', 'error: unknown key "" — remove "" in your config file'],
    ['queue:\n  "": 1\n', 'error: storycore.config.yaml:2: unknown key queue."" — remove queue."" in storycore.config.yaml'],
    ['queue:\n  "a.b": 1\n', 'error: storycore.config.yaml:2: unknown key queue."a.b" — remove queue."a.b" in storycore.config.yaml'],
  ])('%j', async (text, start) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'storycore.config.yaml'), text);
    const run = await cli(['config', 'check'], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr).startsWith(start), run.stderr).toBe(true);
  });
});
