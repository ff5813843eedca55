import { splitSentences } from './sentences.js';

/** Capitalised words that are never names, even when they recur mid-sentence. */
const NOT_NAMES = new Set(
  (
    'The A An And But Or So Then When While As At In On Of To From With Without For By Into Onto Over Under After Before ' +
    'He She It They We You I His Her Its Their Our Your My Him Them Me Us This That These Those There Here Where What Who Why How ' +
    'Not No Yes Oh Ah Mr Mrs Ms Dr Sir Madam Lady Lord God Scene Act Chapter Int Ext Night Day Morning Evening Dawn Dusk Later ' +
    'Meanwhile Suddenly Finally Now Still Just Only Even Far Near Outside Inside Above Below Seen Back Up Down Out Off Again ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December'
  ).split(' '),
);

export interface FoundCharacter {
  name: string;
  /** An appositive from the text ("Mara, an old keeper with…") or a neutral fallback. */
  description: string;
}

const NAME_TOKEN = /\p{Lu}\p{Ll}+(?:['’]s)?/gu;

/**
 * Characters are capitalised words that recur (at least twice, at least once mid-sentence, so
 * "Rain sweeps…" does not make Rain a person), minus common words. In order of appearance.
 */
export function findCharacters(paragraphs: readonly string[]): FoundCharacter[] {
  const counts = new Map<string, { total: number; midSentence: number; first: number }>();
  let order = 0;
  for (const paragraph of paragraphs) {
    for (const sentence of splitSentences(paragraph)) {
      for (const match of sentence.matchAll(NAME_TOKEN)) {
        const name = match[0].replace(/['’]s$/, '');
        if (NOT_NAMES.has(name)) continue;
        const before = sentence.slice(0, match.index).trim();
        // An opening quote (after a space or at the start) begins a sentence; a closing one does not.
        const initial = before === '' || /(?:^|\s)["“‘(]$/.test(before);
        const entry = counts.get(name) ?? { total: 0, midSentence: 0, first: order++ };
        entry.total++;
        if (!initial) entry.midSentence++;
        counts.set(name, entry);
      }
    }
  }
  const text = paragraphs.join('\n');
  return [...counts.entries()]
    .filter(([, c]) => c.total >= 2 && c.midSentence >= 1)
    .sort((a, b) => a[1].first - b[1].first)
    .map(([name]) => ({ name, description: describe(name, text) }));
}

function describe(name: string, text: string): string {
  const appositive = new RegExp(`\\b${name},\\s+((?:an?|the)\\s[^,.;!?"“]+)`).exec(text);
  if (appositive) return appositive[1]!.trim();
  const copula = new RegExp(`\\b${name}\\s+(?:is|was)\\s+((?:an?|the)\\s[^,.;!?"“]+)`).exec(text);
  if (copula) return copula[1]!.trim();
  return `a person named ${name}`;
}

/** Names of `characters` mentioned in a text outside quoted speech (a name in a quote is addressed, not present). */
export function mentionedNames(text: string, names: readonly string[]): string[] {
  const narration = withoutQuotes(text);
  return names
    .map((name) => ({ name, at: narration.search(new RegExp(`\\b${name}\\b`)) }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((m) => m.name);
}

export interface FoundLine {
  speaker?: string;
  text: string;
}

/**
 * Quoted speech in a text, each line attributed to the nearest known name outside the quotes
 * (`"Not tonight," Mara whispers` → Mara; a name inside the quote is the one addressed).
 */
export function findDialogue(text: string, names: readonly string[]): FoundLine[] {
  const quotes = [...text.matchAll(/["“]([^"”]+)["”]/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[1]! }));
  const inQuote = (at: number) => quotes.some((q) => at >= q.start && at < q.end);
  const mentions = names.flatMap((name) =>
    [...text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))].filter((m) => !inQuote(m.index)).map((m) => ({ name, at: m.index })),
  );
  return quotes.map((quote) => {
    let best: { name: string; distance: number } | undefined;
    for (const mention of mentions) {
      const distance = mention.at < quote.start ? quote.start - mention.at : mention.at - quote.end;
      if (!best || distance < best.distance) best = { name: mention.name, distance };
    }
    const spoken = quote.text.trim().replace(/[,;:]$/, '');
    return best ? { speaker: best.name, text: spoken } : { text: spoken };
  });
}

/** The text with quoted speech blanked out (same length, so offsets still line up). */
export function withoutQuotes(text: string): string {
  return text.replace(/["“][^"”]*["”]/g, (quote) => ' '.repeat(quote.length));
}
