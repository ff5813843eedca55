import { z } from 'zod';

/**
 * The XML prompt format of NewBie-image Exp0.1 (reference §7): one `<character_N>` block per
 * character, then `<general_tags>`, wrapped in the template's system prompt with a free-text
 * caption. Values are Danbooru-style tags; lists are joined with ", ".
 */

const tags = z.union([z.string(), z.array(z.string())]).optional();

export const newbieCharacterSchema = z.object({
  name: z.string().optional(),
  gender: tags,
  appearance: tags,
  clothing: tags,
  body_type: tags,
  expression: tags,
  action: tags,
  interaction: tags,
  position: tags,
});

export const newbieSceneSchema = z.object({
  count: tags,
  artists: tags,
  style: tags,
  background: tags,
  environment: tags,
  perspective: tags,
  atmosphere: tags,
  lighting: tags,
  quality: tags,
  objects: tags,
  other: tags,
});

export const newbiePromptSchema = z.object({
  characters: z.array(newbieCharacterSchema).default([]),
  scene: newbieSceneSchema.default({}),
  /** Natural-language description substituted for `{caption}`. */
  caption: z.string().default(''),
});

export type NewbieCharacter = z.input<typeof newbieCharacterSchema>;
export type NewbieScene = z.input<typeof newbieSceneSchema>;
export type NewbiePrompt = z.input<typeof newbiePromptSchema>;

/** Order of the tags inside a character block, as in the official example. `name` is written as `<n>`. */
const CHARACTER_TAGS = ['gender', 'appearance', 'clothing', 'body_type', 'expression', 'action', 'interaction', 'position'] as const;
const SCENE_TAGS = ['count', 'artists', 'style', 'background', 'environment', 'perspective', 'atmosphere', 'lighting', 'quality', 'objects', 'other'] as const;

/** The template's system-prompt wrapper; `{user_prompt}` takes the XML and `{caption}` the caption. */
export const NEWBIE_SYSTEM_PROMPT =
  'You are an assistant designed to generate high-quality anime images with the highest degree of image-text alignment based on xml format textual prompts. <Prompt Start>\n{\n"character_1": {\n"bbox": [\n0,\n0,\n1000,\n1000\n],\n"name": "$character_1$"\n},\n"image": {\n"tags": "\n{user_prompt}\n",\n"caption": "{caption}"\n}\n}';

export const NEWBIE_NEGATIVE = 'You are an assistant designed to generate low-quality images based on textual prompts. <Prompt Start>';

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text placed inside the wrapper's JSON-style double-quoted `caption` string. */
export function escapeQuoted(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function joined(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.map((v) => v.trim()).filter(Boolean).join(', ') : value?.trim();
  return text ? text : undefined;
}

function element(tag: string, value: string | string[] | undefined): string[] {
  const text = joined(value);
  return text === undefined ? [] : [`<${tag}>${escapeXml(text)}</${tag}>`];
}

/** The XML prompt: `<character_1>…</character_1>` blocks, a blank line, then `<general_tags>…</general_tags>`. */
export function newbieXml(input: NewbiePrompt): string {
  const prompt = newbiePromptSchema.parse(input);
  const blocks = prompt.characters.map((character, index) => {
    const tag = `character_${index + 1}`;
    const name = character.name ?? `$${tag}$`;
    const lines = [`<${tag}>`, `<n>${escapeXml(name)}</n>`];
    for (const key of CHARACTER_TAGS) lines.push(...element(key, character[key]));
    lines.push(`</${tag}>`);
    return lines.join('\n');
  });
  const general = ['<general_tags>'];
  for (const key of SCENE_TAGS) general.push(...element(key, prompt.scene[key]));
  general.push('</general_tags>');
  return [...blocks, general.join('\n')].join('\n\n');
}

/** The full positive text: the system wrapper with the XML and the caption substituted. */
export function newbiePositive(input: NewbiePrompt): string {
  const prompt = newbiePromptSchema.parse(input);
  // Function replacers: a `$` in user text must not be read as a replacement pattern.
  return NEWBIE_SYSTEM_PROMPT.replace('{user_prompt}', () => newbieXml(prompt)).replace('{caption}', () => escapeQuoted(prompt.caption));
}
