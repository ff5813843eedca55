import { wordCount } from './sentences.js';

/** Reading pace the planner assumes: a shot lasts as long as its text takes to read aloud. */
export const WORDS_PER_SECOND = 2.5;
export const PLANNED_DURATION = { min: 2, max: 10 } as const;

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, fifteen: 15, twenty: 20 };
const NUMBER = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;
const CUES = [new RegExp(`\\s*\\bfor ${NUMBER} seconds?\\b`, 'i'), new RegExp(`\\s*\\(?\\b${NUMBER}[- ]seconds?(?: long)?\\b\\)?`, 'i')];

export interface DurationCue {
  seconds: number;
  /** The text with the cue phrase removed (it is direction, not picture). */
  text: string;
}

/** An explicit duration in the text ("for 5 seconds", "a 3-second shot"), if any. */
export function explicitDuration(text: string): DurationCue | undefined {
  for (const cue of CUES) {
    const match = cue.exec(text);
    if (!match) continue;
    const raw = match[1]!.toLowerCase();
    const seconds = NUMBER_WORDS[raw] ?? Number(raw);
    if (!Number.isFinite(seconds) || seconds <= 0) continue;
    return { seconds: Math.min(60, Math.max(0.5, seconds)), text: (text.slice(0, match.index) + text.slice(match.index + match[0].length)).replace(/\s+([.,;!?])/g, '$1').trim() };
  }
  return undefined;
}

/** Seconds for a shot's text: its reading time at `WORDS_PER_SECOND`, clamped to 2–10, in half seconds. */
export function durationFromLength(text: string): number {
  const seconds = wordCount(text) / WORDS_PER_SECOND;
  const clamped = Math.min(PLANNED_DURATION.max, Math.max(PLANNED_DURATION.min, seconds));
  return Math.round(clamped * 2) / 2;
}
