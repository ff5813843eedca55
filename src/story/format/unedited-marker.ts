import { createHash } from 'node:crypto';

/**
 * A story file written by StoryCore (plan, init) carries this line with the hash of the rest of
 * the file: while the hash still matches, nobody edited it and planning again loses nothing.
 */
const MARKER = /^# written by storycore, unedited while this hash matches: sha256=([0-9a-f]{64})\n/m;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `text` with the marker line (after a leading `# yaml-language-server` line, if any). */
export function markUnedited(text: string): string {
  const withoutMarker = text.replace(MARKER, '');
  const line = `# written by storycore, unedited while this hash matches: sha256=${digest(withoutMarker)}\n`;
  const schemaLine = /^# yaml-language-server:.*\n/.exec(withoutMarker)?.[0] ?? '';
  return `${schemaLine}${line}${withoutMarker.slice(schemaLine.length)}`;
}

/** True when the text carries the marker and nothing else changed since it was written. */
export function isUnedited(text: string): boolean {
  const match = MARKER.exec(text);
  return match !== null && digest(text.replace(MARKER, '')) === match[1];
}
