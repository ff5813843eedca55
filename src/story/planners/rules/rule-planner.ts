import type { Character, Location, Scene, Shot, Story } from '../../format/schema.js';
import type { Planner, PlanOptions } from '../planner.js';
import { finishStory, projectOverrides, textSeed } from '../story-assembly.js';
import { cameraFromText } from './camera-cues.js';
import { findCharacters, findDialogue, mentionedNames, type FoundCharacter } from './characters.js';
import { durationFromLength, explicitDuration } from './duration-cues.js';
import { locationFromSlugline, locationsInText, type FoundLocation } from './locations.js';
import { shotTexts } from './sentences.js';
import { parseTextStructure } from './text-structure.js';

/** `Lantern room` → `lantern-room` */
export function slugId(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

const PRONOUNS = /\b(?:he|she|his|her|him|hers|they|them|their)\b/i;

/**
 * Plans a story from prose with no model and no network: scenes from headings, breaks and
 * sluglines; a shot per paragraph (long ones split by sentences); camera, duration, people and
 * places from cues in the words. Same text and options, same story, always.
 */
export function planStoryByRules(text: string, options: PlanOptions = {}): Story {
  const structure = parseTextStructure(text);
  const allParagraphs = structure.scenes.flatMap((s) => s.paragraphs);
  const found = findCharacters(allParagraphs);
  const names = found.map((c) => c.name);
  const characters = found.map(toCharacter);
  const idOfName = new Map(found.map((c) => [c.name, slugId(c.name)]));
  const locations = new Map<string, Location>();
  const addLocation = (place: FoundLocation): string => {
    const id = slugId(place.name);
    const known = locations.get(id);
    if (!known) locations.set(id, { id, name: place.name, ...(place.description ? { description: place.description } : {}) });
    else if (!known.description && place.description) known.description = place.description;
    return id;
  };

  let shotNumber = 0;
  const scenes: Scene[] = structure.scenes.map((textScene, sceneIndex) => {
    const sceneLocation = textScene.slugline
      ? addLocation(locationFromSlugline(textScene.slugline))
      : firstLocation(textScene.paragraphs, addLocation);
    const shots: Shot[] = [];
    let previous: { characters: string[]; location?: string } = { characters: [], ...(sceneLocation ? { location: sceneLocation } : {}) };
    for (const paragraph of textScene.paragraphs) {
      for (const chunk of shotTexts(paragraph)) {
        shotNumber++;
        const cue = explicitDuration(chunk);
        const action = cue?.text ?? chunk;
        let present = mentionedNames(action, names).map((n) => idOfName.get(n)!);
        // "She climbs…" continues with the one person of the previous shot.
        if (present.length === 0 && previous.characters.length === 1 && PRONOUNS.test(action)) present = [...previous.characters];
        const named = locationsInText(action)[0];
        const location = named ? addLocation(named) : previous.location;
        const dialogue = findDialogue(action, names).map((line) => ({
          ...(line.speaker ? { speaker: idOfName.get(line.speaker)! } : {}),
          text: line.text,
        }));
        shots.push({
          id: `shot-${String(shotNumber).padStart(3, '0')}`,
          action,
          camera: cameraFromText(action, { opensScene: shots.length === 0 }),
          duration: cue?.seconds ?? durationFromLength(action),
          characters: present,
          ...(location ? { location } : {}),
          ...(dialogue.length ? { dialogue } : {}),
          transition: 'cut',
        });
        previous = { characters: present, ...(location ? { location } : {}) };
      }
    }
    const last = shots[shots.length - 1]!;
    last.transition = sceneIndex === structure.scenes.length - 1 ? 'fade-to-black' : { crossfade: { seconds: 0.5 } };
    return {
      id: `scene-${String(sceneIndex + 1).padStart(2, '0')}`,
      title: textScene.heading ?? (textScene.slugline ? locations.get(sceneLocation!)!.name : `Scene ${sceneIndex + 1}`),
      ...(sceneLocation ? { location: sceneLocation } : {}),
      shots,
    };
  });

  const story: Story = {
    version: 1,
    title: structure.title ?? 'Untitled story',
    style: 'cinematic',
    aspect: '16:9',
    fps: 24,
    quality: 'standard',
    commercial: false,
    seed: textSeed(text),
    characters,
    locations: [...locations.values()],
    scenes,
    render: {},
    ...projectOverrides(options),
  };
  return finishStory(story);
}

function toCharacter(found: FoundCharacter): Character {
  return { id: slugId(found.name), name: found.name, description: found.description };
}

function firstLocation(paragraphs: readonly string[], add: (place: FoundLocation) => string): string | undefined {
  for (const paragraph of paragraphs) {
    const place = locationsInText(paragraph)[0];
    if (place) return add(place);
  }
  return undefined;
}

/** The default planner: rules only, no dependencies (see `planStoryByRules`). */
export class RulePlanner implements Planner {
  readonly kind = 'rules' as const;

  plan(text: string, options: PlanOptions = {}): Promise<Story> {
    try {
      return Promise.resolve(planStoryByRules(text, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
