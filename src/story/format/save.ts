import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import { keysAt } from '../../platform/zod/schema-walk.js';
import type { FieldPath } from './field-path.js';
import { markUnedited } from './unedited-marker.js';
import { storyShapeSchema, type Story } from './schema.js';
import { ensureDirSync } from '../../platform/ensure-dir.js';
import { storageError } from '../../platform/storage-errors.js';

/** The committed JSON Schema of story.yaml (schema/story.schema.json at the package root). */
export const STORY_SCHEMA_PATH = fileURLToPath(new URL('../../../schema/story.schema.json', import.meta.url));

/** Small mappings and lists written on one line, so a shot stays readable at a glance. */
const FLOW_KEYS = new Set(['camera', 'characters', 'references', 'resolution', 'lora', 'params']);

export interface SaveStoryOptions {
  /**
   * What the `# yaml-language-server: $schema=` line points at: a path or URL; `false` leaves the
   * line out. Default: the package's schema file, relative to where the story is written.
   */
  schema?: string | false;
  /** Mark the file as written by StoryCore, so a later `plan` knows whether it was edited. */
  unedited?: boolean;
}

/**
 * The YAML text of a story: keys in the format's order (title first, scenes before render),
 * unset fields left out, and a schema line so editors validate it.
 */
export function storyToYaml(story: Story, options: { schema?: string | false } = {}): string {
  const doc = new Document(ordered(story, []));
  visit(doc, {
    Scalar(_, scalar) {
      // `16:9` is a number in YAML 1.1 (sexagesimal); quote it for every reader.
      if (typeof scalar.value === 'string' && /^[\d.]+:[\d.]+$/.test(scalar.value)) scalar.type = 'QUOTE_DOUBLE';
    },
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !FLOW_KEYS.has(String(pair.key.value))) return;
      const value = pair.value;
      if ((isMap(value) || isSeq(value)) && value.items.every((item) => (isPair(item) ? isScalar(item.value) : isScalar(item)))) value.flow = true;
    },
  });
  const body = doc.toString({ lineWidth: 0 });
  return options.schema ? `# yaml-language-server: $schema=${options.schema}\n${body}` : body;
}

/**
 * Writes a story to `path` atomically (a temporary file in the same folder, then a rename), so a
 * reader never sees half a file and a crash never leaves one.
 */
export function saveStory(story: Story, path: string, options: SaveStoryOptions = {}): void {
  const target = resolve(path);
  const schema = options.schema === undefined ? relative(dirname(target), STORY_SCHEMA_PATH).split(sep).join('/') : options.schema;
  const yaml = storyToYaml(story, { schema });
  const text = options.unedited ? markUnedited(yaml) : yaml;
  ensureDirSync(dirname(target));
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, text, 'utf8');
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw storageError(error, target, Buffer.byteLength(text));
  }
}

/** A copy with object keys in schema order and undefined values dropped. */
function ordered(value: unknown, path: FieldPath): unknown {
  if (Array.isArray(value)) return value.map((item, index) => ordered(item, [...path, index]));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const known = keysAt(storyShapeSchema, path);
  const keys = [...known.filter((k) => k in record), ...Object.keys(record).filter((k) => !known.includes(k)).sort()];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (record[key] === undefined) continue;
    out[key] = ordered(record[key], [...path, key]);
  }
  return out;
}
