import { CAMERA_ANGLES, CAMERA_MOVEMENTS, SHOT_SIZES, STYLE_IDS } from '../../format/vocabulary.js';

/** The system message: what a story is and the rules a reply must follow. */
export function systemInstructions(schemaText: string): string {
  return [
    'You are a film director\'s assistant. You turn a story into a shot list as JSON.',
    'Reply with ONE JSON object and nothing else (no prose, no Markdown fences). It must match this JSON Schema:',
    schemaText,
    'Rules:',
    '- Split the story into scenes, and each scene into shots of 2 to 10 seconds.',
    '- Shot ids are shot-001, shot-002, … across the whole story; scene ids are scene-01, scene-02, ….',
    '- Characters and locations get lower-case dashed ids; shots refer to them by id only.',
    `- camera.size is one of ${SHOT_SIZES.join(', ')}; camera.angle one of ${CAMERA_ANGLES.join(', ')}; camera.movement one of ${CAMERA_MOVEMENTS.join(', ')}.`,
    `- style is one of ${STYLE_IDS.join(', ')}.`,
    '- Put spoken lines in dialogue [{speaker, text}]; narration in voiceover.',
    '- Describe each character\'s look once, in characters[].description.',
    '- Do not write shot prompts or render settings; they are added later.',
  ].join('\n');
}

export function userRequest(text: string, hints: { title?: string; style?: string }): string {
  const wanted = [hints.title ? `Title: ${hints.title}` : '', hints.style ? `Style: ${hints.style}` : ''].filter(Boolean).join('\n');
  return `${wanted ? `${wanted}\n\n` : ''}Story:\n${text}`;
}

export function repairRequest(problems: string[]): string {
  return [
    'Your reply is not a valid story:',
    ...problems.map((p) => `- ${p}`),
    'Reply with the corrected JSON object only.',
  ].join('\n');
}
