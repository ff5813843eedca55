import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStory, saveStory, STORY_SCHEMA_PATH, storyJsonSchemaText, storyToYaml, writeStorySchema } from '../../src/story/format/index.js';
import { EXAMPLE_YAML } from './support/example-story.js';

describe('saveStory', () => {
  it('round-trips a story and leaves no temporary file behind', () => {
    const story = loadStory(EXAMPLE_YAML);
    const dir = mkdtempSync(join(tmpdir(), 'story-save-'));
    const path = join(dir, 'nested', 'story.yaml');
    saveStory(story, path);
    expect(loadStory(path)).toEqual(story);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['story.yaml']);
    // Saving again over the file gives the same bytes: the key order is stable.
    const first = readFileSync(path, 'utf8');
    saveStory(loadStory(path), path);
    expect(readFileSync(path, 'utf8')).toBe(first);
  });

  it('writes keys in format order with a schema line editors understand', () => {
    const story = loadStory(EXAMPLE_YAML);
    const shuffled = Object.fromEntries(Object.entries(story).reverse()) as typeof story;
    const text = storyToYaml(shuffled, { schema: './story.schema.json' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./story.schema.json');
    const topKeys = text.split('\n').filter((line) => /^[a-z]+:/.test(line)).map((line) => line.split(':')[0]);
    expect(topKeys).toEqual(['version', 'title', 'style', 'aspect', 'fps', 'quality', 'commercial', 'seed', 'characters', 'locations', 'scenes', 'render']);
    expect(text).toContain('aspect: "16:9"');
    expect(storyToYaml(story, { schema: false })).not.toContain('yaml-language-server');
  });

  it('keeps the committed example in sync with the format (saving it changes nothing)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'story-save-'));
    const copy = join(dir, 'story.yaml');
    saveStory(loadStory(EXAMPLE_YAML), copy, { schema: '../../schema/story.schema.json' });
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(EXAMPLE_YAML, 'utf8'));
  });
});

describe('schema/story.schema.json', () => {
  it('equals the schema generated from the zod format (run writeStorySchema() after a format change)', () => {
    expect(readFileSync(STORY_SCHEMA_PATH, 'utf8')).toBe(storyJsonSchemaText());
  });

  it('writeStorySchema writes the file and reports whether it changed', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'story-schema-')), 'story.schema.json');
    expect(writeStorySchema(path)).toBe(true);
    expect(writeStorySchema(path)).toBe(false);
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(['title', 'scenes']);
    expect(schema.additionalProperties).toBe(false);
  });
});
