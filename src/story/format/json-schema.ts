import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { STORY_SCHEMA_PATH } from './save.js';
import { storyShapeSchema } from './schema.js';

/**
 * The JSON Schema of story.yaml as an editor sees it (input form: fields with defaults are
 * optional). Cross-references (ids, templates) are checked by `loadStory`, not by the schema.
 */
export function storyJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(storyShapeSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    title: 'StoryCore story.yaml',
    description: 'A StoryCore project: style, characters, locations, scenes of shots and render settings. See docs/story-format.md.',
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== '$schema')),
  };
}

/** The text committed as schema/story.schema.json. */
export function storyJsonSchemaText(): string {
  return `${JSON.stringify(storyJsonSchema(), null, 2)}\n`;
}

/** Regenerates schema/story.schema.json (or `path`); returns whether the file changed. */
export function writeStorySchema(path: string = STORY_SCHEMA_PATH): boolean {
  const text = storyJsonSchemaText();
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return false;
  writeFileSync(path, text, 'utf8');
  return true;
}
