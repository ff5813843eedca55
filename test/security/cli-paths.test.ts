import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError, tempDir } from '../cli/support/run-cli.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GRAPH = join(REPO, 'examples/graphs/keyframe-sd15.json');

function outsideFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'storycore-outside-'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('paths given on the command line stay inside the project folder', () => {
  it.each([
    ['run --object-info', (f: string) => ['run', GRAPH, '--sim', '--object-info', f], '--object-info'],
    ['run --models', (f: string) => ['run', GRAPH, '--sim', '--models', f], '--models'],
    ['sim --faults', (f: string) => ['sim', '--faults', f], '--faults'],
    ['preflight --object-info', (f: string) => ['preflight', GRAPH, '--object-info', f], '--object-info'],
    ['convert --object-info', (f: string) => ['convert', GRAPH, '--object-info', f], '--object-info'],
    ['templates import <file>', (f: string) => ['templates', 'import', f, '--name', 'x'], 'templates import <file>'],
    ['templates import --object-info', (f: string) => ['templates', 'import', 'w.json', '--name', 'x', '--object-info', f], '--object-info'],
  ])('%s outside the project is refused, naming the option', async (_what, argv, option) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'w.json'), '{}');
    const run = await cli(argv(outsideFile('x.json', '{}')), { cwd });
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain(`${option}: `);
    expect(line).toContain('is outside the project folder');
    expect(line).toContain('paths.allowedDirs');
  });

  it.each([
    ['run --out', ['run', GRAPH, '--sim', '--time-scale', '0.01', '--out']],
    ['convert --out', ['convert', GRAPH, '--out']],
    ['templates build --out', ['templates', 'build', 'sd15-t2i', '--out']],
    ['metrics --store', ['metrics', '--store']],
  ])('%s climbing out of the project is refused before anything is written', async (_what, argv) => {
    const cwd = tempDir();
    const target = `../${join('escaped-' + String(process.pid), 'x')}`;
    const run = await cli([...argv, target], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toMatch(/(--out|--store): \.\.\/escaped-\d+\/x is outside the project folder/);
    expect(existsSync(join(cwd, '..', `escaped-${process.pid}`))).toBe(false);
  });

  it('a symlinked folder inside the project that points out is refused for --out', async () => {
    const cwd = tempDir();
    const outside = mkdtempSync(join(tmpdir(), 'storycore-outside-'));
    symlinkSync(outside, join(cwd, 'renders'));
    const run = await cli(['templates', 'build', 'sd15-t2i', '--out', 'renders/g.json'], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toMatch(/--out: renders\/g\.json is a link to .*, outside the project folder/);
    expect(existsSync(join(outside, 'g.json'))).toBe(false);
  });

  it('paths.allowedDirs in the config lets a folder outside the project in', async () => {
    const cwd = tempDir();
    const outside = mkdtempSync(join(tmpdir(), 'storycore-allowed-'));
    writeFileSync(join(cwd, 'storycore.config.yaml'), `paths:\n  allowedDirs: [${JSON.stringify(outside)}]\n`);
    const run = await cli(['templates', 'build', 'sd15-t2i', '--out', join(outside, 'g.json')], { cwd });
    expect(run.stderr).toMatch(/^wrote /);
    expect(run.code).toBe(0);
    expect(existsSync(join(outside, 'g.json'))).toBe(true);
  });

  it('files inside the project are accepted', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'out'));
    const run = await cli(['convert', GRAPH, '--out', 'out/api.json'], { cwd });
    expect(run.code).toBe(0);
    expect(existsSync(join(cwd, 'out/api.json'))).toBe(true);
  });
});
