import type { Camera, Character, Location, Shot } from '../format/schema.js';
import { STYLE_PRESETS } from '../format/style-presets.js';
import type { StyleId } from '../format/vocabulary.js';

/** What a shot's prompt is built from besides the shot itself. */
export interface ShotPromptContext {
  style: StyleId;
  characters: readonly Character[];
  locations: readonly Location[];
  /** The scene's location, used when the shot names none. */
  sceneLocation?: string;
}

const SIZE_WORDS: Record<Camera['size'], string> = {
  'extreme-wide': 'extreme wide establishing shot',
  wide: 'wide shot',
  medium: 'medium shot',
  'close-up': 'close-up shot',
  'extreme-close-up': 'extreme close-up',
};

const ANGLE_WORDS: Record<Camera['angle'], string | undefined> = {
  'eye-level': undefined,
  high: 'high angle',
  low: 'low angle',
  overhead: "overhead bird's-eye view",
  dutch: 'dutch angle',
};

const MOVEMENT_WORDS: Record<Camera['movement'], string | undefined> = {
  static: undefined,
  'pan-left': 'camera pans left',
  'pan-right': 'camera pans right',
  'tilt-up': 'camera tilts up',
  'tilt-down': 'camera tilts down',
  'dolly-in': 'camera dollies in',
  'dolly-out': 'camera dollies out',
  tracking: 'tracking shot',
  handheld: 'handheld camera',
  orbit: 'camera orbits the subject',
};

/** `close-up shot, low angle, tracking shot`: the camera in words a diffusion model knows. */
export function cameraPhrase(camera: Camera): string {
  return [SIZE_WORDS[camera.size], ANGLE_WORDS[camera.angle], MOVEMENT_WORDS[camera.movement]].filter(Boolean).join(', ');
}

/**
 * The image prompt of a shot: camera, action, who is in it (description and LoRA trigger),
 * where it is, then the style's fragment. Both planners use it, so every shot carries a prompt
 * and the same story always yields the same prompt.
 *
 * @example
 * shotPrompt(shot, { style: 'noir', characters, locations })
 * // "close-up shot, low angle. Mara lights the lamp. Mara: an old keeper, silver braid. Setting: lantern room. film noir, …"
 */
export function shotPrompt(shot: Pick<Shot, 'action' | 'camera' | 'characters' | 'location'>, context: ShotPromptContext): string {
  const parts = [`${cameraPhrase(shot.camera)}.`, sentence(picture(shot.action))];
  for (const id of shot.characters) {
    const character = context.characters.find((c) => c.id === id);
    if (!character) continue;
    const trigger = character.lora?.trigger ? `${character.lora.trigger}, ` : '';
    parts.push(sentence(`${trigger}${character.name}: ${character.description}`));
  }
  const locationId = shot.location ?? context.sceneLocation;
  const location = locationId ? context.locations.find((l) => l.id === locationId) : undefined;
  if (location) parts.push(sentence(`Setting: ${location.name}${location.description ? `, ${location.description}` : ''}`));
  parts.push(STYLE_PRESETS[context.style].positive);
  return parts.join(' ');
}

/** The negative prompt a style asks for. */
export function shotNegativePrompt(style: StyleId): string {
  return STYLE_PRESETS[style].negative;
}

/** The action without quoted speech: image models paint quoted words as text. */
function picture(action: string): string {
  const stripped = action
    .replace(/\s*["“][^"”]*["”][,.!?]?\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;!?])/g, '$1')
    .replace(/,\s*$/, '')
    .trim();
  return stripped || action;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…"”]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
