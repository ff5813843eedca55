import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReferenceImageError } from '../../src/story/tasks/index.js';
import { EXAMPLE_YAML } from '../pipeline/support/project.js';
import { cli, expectOneLineError, tempDir } from './support/run-cli.js';

/** Messages a new user met that named the wrong thing or said nothing useful (issue 9, item 16). */
describe('error wording', () => {
  it('a missing reference image names the character, and the shot that uses it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'story.yaml'), readFileSync(EXAMPLE_YAML, 'utf8').replace('    name: Mara\n', '    name: Mara\n    references: [mara-missing.png]\n'));
    const run = await cli(['status'], { cwd });
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    // Found when the story is loaded (characters[0] is mara); never names a shot as the character.
    expect(line).toMatch(/characters\[0\]\.references\[0\]: mara-missing\.png does not exist|reference image .*mara-missing\.png of character 'mara' \(used by shot-\d{3}\)/);
    expect(line).not.toMatch(/character 'shot-/);
  });

  it('a reference image that cannot be read later (moved during a run) names its character and the shot', () => {
    const error = new ReferenceImageError('mara', 'shot-002', '/films/mara.png');
    expect(error.message).toBe("reference image /films/mara.png of character 'mara' (used by shot-002) cannot be read");
    expect(error.hint).toContain("the references of character 'mara'");
  });

  it('a JSON null graph says null, not "object"', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'graph.json'), 'null\n');
    const run = await cli(['run', 'graph.json', '--sim'], { cwd });
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain('graph.json holds null, not an API-format graph');
    const convert = await cli(['convert', 'graph.json'], { cwd });
    expect(expectOneLineError(convert.stderr)).toContain('top level is null, not an object');
  });

  it('a worker URL on a port fetch refuses says so, instead of "bad port"', async () => {
    const run = await cli(['workers', 'check', 'http://localhost:1']);
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain("port 1 is one that Node's fetch refuses to connect to");
    expect(line).not.toContain('bad port');
  });

  it('a configured worker on such a port is explained too, not "bad port"', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'storycore.config.yaml'), 'workers:\n  - name: old\n    url: http://127.0.0.1:1\n');
    const run = await cli(['workers', 'check', 'old'], { cwd });
    expect(run.code).not.toBe(0);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain("the port is one Node's fetch refuses to connect to");
    expect(line).not.toMatch(/: bad port/);
  });

  it('sim.timeScale 0 says it must be more than 0', async () => {
    const run = await cli(['config', 'check', '--config-set', 'sim.timeScale=0']);
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain('0 is too small (it must be more than 0)');
  });
});
