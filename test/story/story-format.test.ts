import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStory, parseStory, resolveRenderSettings, StoryFormatError, type StoryIssue } from '../../src/story/format/index.js';
import { EXAMPLE_YAML } from './support/example-story.js';

const VALID = `# yaml-language-server: $schema=../../schema/story.schema.json
title: Test
characters:
  - id: mara
    name: Mara
    description: an old keeper
locations:
  - id: tower
    name: Tower
scenes:
  - id: scene-01
    shots:
      - id: shot-001
        action: Mara climbs.
        duration: 3
        characters: [mara]
        location: tower
`;

/** Loads `text` as story.yaml in a temp folder and returns the issues it is rejected with. */
function issuesOf(text: string): { error: StoryFormatError; issues: StoryIssue[] } {
  const dir = mkdtempSync(join(tmpdir(), 'story-format-'));
  writeFileSync(join(dir, 'story.yaml'), text);
  try {
    loadStory('story.yaml', { cwd: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(StoryFormatError);
    return { error: error as StoryFormatError, issues: (error as StoryFormatError).issues };
  }
  throw new Error('expected the story to be rejected');
}

const replace = (from: string, to: string) => VALID.replace(from, to);

describe('story.yaml format', () => {
  it('accepts the committed example and fills defaults', () => {
    const story = loadStory(EXAMPLE_YAML);
    expect(story.title).toBe('The Lighthouse');
    expect(story.quality).toBe('draft');
    expect(story.scenes).toHaveLength(3);
    expect(story.render.clip?.template).toBe('svd-i2v');
    const minimal = parseStory(VALID);
    expect(minimal.style).toBe('cinematic');
    expect(minimal.scenes[0]!.shots[0]!.camera).toEqual({ size: 'medium', angle: 'eye-level', movement: 'static' });
    expect(minimal.scenes[0]!.shots[0]!.transition).toBe('cut');
  });

  it('names file, line, column and field path of a bad enum, with a did-you-mean', () => {
    const { error, issues } = issuesOf(replace('        location: tower\n', '        location: tower\n        camera: { size: closeup }\n'));
    expect(issues).toHaveLength(1);
    expect(error.code).toBe('STORY_INVALID');
    expect(error.message).toBe("story.yaml:18:25 scenes[0].shots[0].camera.size: 'closeup' is not one of extreme-wide, wide, medium, close-up, extreme-close-up");
    expect(error.hint).toBe("did you mean 'close-up'?");
    expect(error.toOneLine()).toBe(
      "story.yaml:18:25 scenes[0].shots[0].camera.size: 'closeup' is not one of extreme-wide, wide, medium, close-up, extreme-close-up — did you mean 'close-up'?",
    );
  });

  it('reports a missing required field at the item that lacks it', () => {
    const { issues } = issuesOf(replace('        action: Mara climbs.\n', ''));
    expect(issues[0]).toMatchObject({ file: 'story.yaml', line: 13, column: 9, path: 'scenes[0].shots[0].action' });
    expect(issues[0]!.message).toBe("missing required field 'action'");
    expect(issues[0]!.hint).toContain('add action:');
  });

  it('rejects unknown keys (strict) and suggests the near one', () => {
    const { issues } = issuesOf(replace('        duration: 3\n', '        duraton: 3\n'));
    const unknown = issues.find((i) => i.message === "unknown key 'duraton'")!;
    expect(unknown).toMatchObject({ line: 15, column: 9, path: 'scenes[0].shots[0].duraton', hint: "did you mean 'duration'?" });
    // The misspelt key also leaves duration missing: both are reported in one run.
    expect(issues.map((i) => i.path)).toContain('scenes[0].shots[0].duration');
  });

  it('checks cross-references: characters, locations, duplicate shots, templates and their capability', () => {
    const text =
      replace('characters: [mara]', 'characters: [mra]').replace('location: tower', 'location: towr') +
      `      - id: shot-001
        action: again
        duration: 2
render:
  keyframe: { template: sd15-t2l }
  clip: { template: sd15-t2i, params: { steps: 4 } }
`;
    const { error, issues } = issuesOf(text);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath['scenes[0].shots[0].characters[0]']).toMatchObject({ line: 16, column: 22, hint: "did you mean 'mara'?" });
    expect(byPath['scenes[0].shots[0].characters[0]']!.message).toContain("unknown character 'mra'");
    expect(byPath['scenes[0].shots[0].location']).toMatchObject({ line: 17, hint: "did you mean 'tower'?" });
    expect(byPath['scenes[0].shots[1].id']!.message).toContain("duplicate shot id 'shot-001'");
    expect(byPath['render.keyframe.template']).toMatchObject({ line: 22, hint: "did you mean 'sd15-t2i'?" });
    expect(byPath['render.clip.template']!.message).toContain('not image_to_video');
    expect(byPath['render.clip.template']!.hint).toContain('svd-i2v');
    expect(issues).toHaveLength(5);
    expect(error.message.split('\n')[0]).toBe('5 problems in story.yaml:');
  });

  it('checks per-stage parameter overrides against the template', () => {
    const { issues } = issuesOf(`${VALID}render:\n  keyframe: { template: sd15-t2i, params: { stepz: 4, width: 7 } }\n`);
    expect(issues.find((i) => i.path === 'render.keyframe.params.stepz')).toMatchObject({ line: 19, hint: "did you mean 'steps'?" });
    expect(issues.some((i) => i.path === 'render.keyframe.params.width')).toBe(true);
  });

  it('explains a bad transition through the union it belongs to', () => {
    const { issues } = issuesOf(replace('        location: tower\n', '        location: tower\n        transition: crossfade\n'));
    expect(issues[0]!.path).toBe('scenes[0].shots[0].transition');
    expect(issues[0]!.hint).toContain('{crossfade: {seconds: 0.5}}');
    const nested = issuesOf(replace('        location: tower\n', '        location: tower\n        transition: { crossfade: { seconds: soon } }\n')).issues;
    expect(nested[0]!.path).toBe('scenes[0].shots[0].transition.crossfade.seconds');
    expect(nested[0]!.message).toContain("expected a number, got a string 'soon'");
  });

  it('reports YAML syntax errors with their line', () => {
    const { error, issues } = issuesOf(replace('    name: Tower\n', '    name: [Tower\n'));
    expect(error.code).toBe('STORY_SYNTAX');
    expect(issues[0]!.file).toBe('story.yaml');
    expect(issues[0]!.line).toBeGreaterThanOrEqual(9);
    expect(issues[0]!.message).toMatch(/^YAML syntax error/);
    const duplicate = issuesOf(replace('title: Test\n', 'title: Test\ntitle: Again\n')).issues[0]!;
    expect(duplicate).toMatchObject({ line: 3, hint: 'remove or rename the repeated key' });
  });

  it('names a missing file', () => {
    expect(() => loadStory(join(tmpdir(), 'no-such-dir-story', 'story.yaml'))).toThrowError(
      expect.objectContaining({ code: 'STORY_NOT_FOUND' }) as Error,
    );
  });

  it('resolves render settings from the quality preset under the story overrides', () => {
    const story = parseStory(readFileSync(EXAMPLE_YAML, 'utf8'));
    const stages = resolveRenderSettings(story);
    expect(stages.keyframe).toEqual({ template: 'sdxl-turbo-t2i', params: { width: 512, height: 288, steps: 1 } });
    expect(stages.clip?.params).toMatchObject({ width: 512, height: 288, frames: 14, steps: 10 });
    expect(stages.interpolation).toBeUndefined();
    const final = resolveRenderSettings({ ...parseStory(VALID), quality: 'final', aspect: '9:16' });
    expect(final.keyframe?.template).toBe('qwen-image-t2i');
    expect(final.keyframe?.params).toMatchObject({ width: 736, height: 1280 });
    expect(final.interpolation?.template).toBe('rife-interpolate');
  });
});
