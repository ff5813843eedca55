import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStory, StoryFormatError } from '../../src/story/format/index.js';
import { cli, expectOneLineError, tempDir } from '../cli/support/run-cli.js';
import { EXAMPLE_YAML } from '../pipeline/support/project.js';

const example = readFileSync(EXAMPLE_YAML, 'utf8');

function problems(text: string): StoryFormatError {
  try {
    parseStory(text);
  } catch (error) {
    if (error instanceof StoryFormatError) return error;
    throw error;
  }
  throw new Error('the story parsed');
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('story errors, as printed', () => {
  it('a single problem prints its hint once', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'story.yaml'), example.replace(/^fps: .*$/m, 'fps: fast'));
    const run = await cli(['status'], { cwd });
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain("fps: expected a number, got a string 'fast'");
    expect(count(line, 'write a number here')).toBe(1);
  });

  it('a 23-digit seed is one problem, named as the user wrote it', () => {
    const error = problems(example.replace(/^seed: .*$/m, 'seed: 12345678901234567890123'));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain('seed: a 23-digit number is above the maximum 9007199254740991');
    expect(error.message).not.toContain('e+22');
    expect(count(error.toOneLine(), 'use a value of at most')).toBe(1);
  });

  it('duration: .nan says it is not a number', () => {
    const error = problems(example.replace(/duration: \d+(\.\d+)?/, 'duration: .nan'));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain('expected a number, got .nan (not a number)');
    expect(error.message).not.toContain('a number null');
  });
});
