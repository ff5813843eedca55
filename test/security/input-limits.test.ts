import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planStory } from '../../src/engine/story-plan.js';
import { InputLimitError } from '../../src/platform/errors/input-limit-error.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/platform/input-limits.js';
import { parseStory } from '../../src/story/format/index.js';
import { cli, expectOneLineError, tempDir } from '../cli/support/run-cli.js';
import { demoProject } from '../pipeline/support/project.js';

/** Nine levels of nine aliases each: 9^5 nodes from a 300-byte file. */
const ALIAS_BOMB = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';

function blockNesting(levels: number): string {
  return Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
}

function limitError(run: () => unknown): InputLimitError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputLimitError);
    return error as InputLimitError;
  }
  throw new Error('expected an InputLimitError');
}

describe('story files have size, alias and depth limits', () => {
  it('an alias bomb is refused with the limit and how to raise it', () => {
    const error = limitError(() => parseStory(ALIAS_BOMB, 'story.yaml'));
    expect(error.code).toBe('INPUT_TOO_MANY_ALIASES');
    expect(error.toOneLine()).toBe(
      'story.yaml: the YAML expands aliases (*name) more than 100 times — if the input is genuine, raise limits.aliases (now 100) in the config or with STORYCORE_LIMITS__ALIASES',
    );
  });

  it('deep flow nesting is refused before the parser recurses, deep block nesting after', () => {
    const flow = limitError(() => parseStory(`title: ${'['.repeat(5000)}${']'.repeat(5000)}`, 'story.yaml'));
    expect(flow.code).toBe('INPUT_TOO_DEEP');
    expect(flow.toOneLine()).toMatch(/^story\.yaml: lists and mappings are nested more than 64 levels deep — .*limits\.depth \(now 64\)/);
    expect(limitError(() => parseStory(blockNesting(200), 'story.yaml')).code).toBe('INPUT_TOO_DEEP');
  });

  it('a story file over the size limit is refused before it is read', () => {
    const project = demoProject();
    truncateSync(project.story, 21 * 1024 * 1024);
    const error = limitError(() => planStory(project.story, project.dir));
    expect(error.code).toBe('INPUT_TOO_LARGE');
    expect(error.toOneLine()).toMatch(/the file is 21\.0 MB, more than the 20 MB limit — if the input is genuine, raise limits\.fileMb \(now 20\) .*STORYCORE_LIMITS__FILE_MB/);
    // The config's limits apply.
    const small = demoProject();
    expect(limitError(() => planStory(small.story, small.dir, { limits: { ...DEFAULT_INPUT_LIMITS, fileMb: 0.001 } })).code).toBe('INPUT_TOO_LARGE');
    expect(planStory(small.story, small.dir).story.title).toBeTruthy();
  });

  it('the CLI prints one line for each, never "unexpected error"', async () => {
    const project = demoProject();
    writeFileSync(project.story, ALIAS_BOMB);
    const run = await cli(['status', 'story.yaml'], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toContain('limits.aliases');
    const raised = await cli(['status', 'story.yaml', '--config-set', 'limits.fileMb=0.0001'], { cwd: demoProject().dir });
    expect(expectOneLineError(raised.stderr)).toContain('more than the 0.0001 MB limit');
  });
});

describe('config files', () => {
  it.each([
    ['an alias bomb', ALIAS_BOMB, 'limits.aliases'],
    ['deep nesting', `workers: ${'['.repeat(3000)}${']'.repeat(3000)}\n`, 'limits.depth'],
    ['deep block nesting', blockNesting(200), 'limits.depth'],
  ])('%s is one line naming the limit', async (_what, text, key) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'storycore.config.yaml'), text);
    const run = await cli(['config', 'check'], { cwd });
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain('storycore.config.yaml: ');
    expect(line).toContain(key);
  });
});

describe('workflow JSON', () => {
  it.each([
    ['run', ['run', 'g.json', '--sim']],
    ['convert', ['convert', 'g.json']],
    ['preflight', ['preflight', 'g.json', '--sim']],
    ['templates import', ['templates', 'import', 'g.json', '--name', 'x']],
  ])('%s: deep nesting and size are one-line errors with the limit', async (_what, argv) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'g.json'), `{"1": {"class_type": "SaveImage", "inputs": {"images": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}}`);
    const deep = await cli(argv, { cwd });
    expect(deep.code).toBe(2);
    expect(expectOneLineError(deep.stderr)).toMatch(/^error: (\/.*\/)?g\.json: lists and mappings are nested more than 64 levels deep — .*limits\.depth/);
    truncateSync(join(cwd, 'g.json'), 25 * 1024 * 1024);
    const large = await cli(argv, { cwd });
    expect(large.code).toBe(2);
    expect(expectOneLineError(large.stderr)).toMatch(/^error: (\/.*\/)?g\.json: the file is 25\.0 MB, more than the 20 MB limit — .*limits\.fileMb/);
  });

  it('--object-info and --models files have the same limits', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'deep.json'), `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    for (const argv of [['run', 'g.json', '--sim', '--models', 'deep.json'], ['sim', '--object-info', 'deep.json']]) {
      writeFileSync(join(cwd, 'g.json'), '{"1": {"class_type": "SaveImage", "inputs": {}}}');
      const run = await cli(argv, { cwd });
      expect(run.code).toBe(2);
      expect(expectOneLineError(run.stderr)).toContain('deep.json: lists and mappings are nested more than 64 levels deep');
    }
  });
});
