/**
 * Sentences of a paragraph. A sentence ends at . ! ? or … followed by a space, but never
 * inside a quotation, so `shouts, "Mara! Light the lamp!"` stays one sentence.
 */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < paragraph.length; i++) {
    const ch = paragraph[i]!;
    if (ch === '"') inQuote = !inQuote;
    else if (ch === '“') inQuote = true;
    else if (ch === '”') inQuote = false;
    if (inQuote || !/[.!?…]/.test(ch)) continue;
    let end = i + 1;
    while (end < paragraph.length && /["”’')]/.test(paragraph[end]!)) end++;
    if (end < paragraph.length && /\s/.test(paragraph[end]!)) {
      sentences.push(paragraph.slice(start, end).trim());
      start = end;
      i = end;
    }
  }
  const rest = paragraph.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences.filter(Boolean);
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Paragraphs longer than this many words become several shots. */
export const LONG_PARAGRAPH_WORDS = 35;
/** About this many words per shot when a paragraph is split. */
const WORDS_PER_SPLIT_SHOT = 30;

/**
 * The shots' texts of a paragraph: the whole paragraph when short, else its sentences in
 * groups of about equal length (cut only between sentences).
 */
export function shotTexts(paragraph: string): string[] {
  const total = wordCount(paragraph);
  const sentences = splitSentences(paragraph);
  if (total <= LONG_PARAGRAPH_WORDS || sentences.length < 2) return [paragraph];
  const parts = Math.min(sentences.length, Math.ceil(total / WORDS_PER_SPLIT_SHOT));
  const cumulative: number[] = [];
  let sum = 0;
  for (const s of sentences) cumulative.push((sum += wordCount(s)));
  // Cut after the sentence whose running total is nearest each ideal boundary.
  const cuts = new Set<number>();
  for (let k = 1; k < parts; k++) {
    const ideal = (total * k) / parts;
    let best = 0;
    cumulative.slice(0, -1).forEach((value, index) => {
      if (!cuts.has(index) && Math.abs(value - ideal) < Math.abs(cumulative[best]! - ideal)) best = index;
    });
    cuts.add(best);
  }
  const groups: string[] = [];
  let group: string[] = [];
  sentences.forEach((s, index) => {
    group.push(s);
    if (cuts.has(index)) {
      groups.push(group.join(' '));
      group = [];
    }
  });
  if (group.length) groups.push(group.join(' '));
  return groups;
}
