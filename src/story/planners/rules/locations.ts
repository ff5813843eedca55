import type { Slugline } from './text-structure.js';

export interface FoundLocation {
  name: string;
  description?: string;
}

/** Words that end a place's noun phrase ("in the tower, a lantern" → tower). */
const STOP = new Set(
  'the a an of and or but with as while where when to for on under over into onto from by at in that which who whose is was are were his her their its'.split(' '),
);
/** "in the dark", "at the end": phrases that follow in/at but are not places. */
const NOT_PLACES = new Set(
  'dark darkness distance rain wind storm middle end air night morning evening light silence water moment time way same meantime past future corner background foreground beginning top bottom'.split(
    ' ',
  ),
);

/** Leading adjectives dropped from a place, so "the dark tower" and "the tower" are one location. */
const ADJECTIVES = new Set(
  'dark old little small great big empty quiet silent cold warm distant nearby same whole narrow wide tall long high low dim bright crowded busy abandoned ruined'.split(' '),
);

/** `Lighthouse cliff` from `LIGHTHOUSE CLIFF`: sentence case, so slugline and prose names match. */
export function placeName(raw: string): string {
  const lower = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

export function locationFromSlugline(slug: Slugline): FoundLocation {
  const description = [slug.interior ? 'interior' : 'exterior', slug.time?.toLowerCase()].filter(Boolean).join(', ');
  return { name: placeName(slug.place), description };
}

/** Places a text puts the action in: "in the X", "at the X", "inside the X" (up to three words). */
export function locationsInText(text: string): FoundLocation[] {
  const found: FoundLocation[] = [];
  for (const match of text.matchAll(/\b(?:in|at|inside)\s+the\s+([a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})/gi)) {
    // "looks up at the tower" is where someone looks, not where they are.
    if (/\b(?:looks?|looking|looked|stares?|gazes?|glances?|points?|shouts?|up|down|aims?)\s+$/i.test(text.slice(0, match.index))) continue;
    const words: string[] = [];
    for (const word of match[1]!.split(/\s+/)) {
      if (STOP.has(word.toLowerCase())) break;
      words.push(word);
    }
    while (words.length > 1 && ADJECTIVES.has(words[0]!.toLowerCase())) words.shift();
    const last = words[words.length - 1];
    if (!last || NOT_PLACES.has(last.toLowerCase())) continue;
    found.push({ name: placeName(words.join(' ')) });
  }
  return found;
}
