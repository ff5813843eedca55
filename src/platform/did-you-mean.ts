/** Wording of hints: the known name nearest to a typo ("did you mean …?"), lists of choices. */

export interface ClosestMatchOptions {
  /** Also accept a candidate that differs only in case and punctuation ('closeup' → 'close-up'); default true. */
  ignorePunctuation?: boolean;
}

/** The candidate nearest to a typo when it is close enough to be what was meant. */
export function closestMatch(wanted: string, candidates: readonly string[], options: ClosestMatchOptions = {}): string | undefined {
  const normalized = wanted.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(normalized, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const squashed = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  // 'closeup' → 'close-up' and 'CU' style near misses: ignore punctuation before measuring.
  if (options.ignorePunctuation !== false && squashed(best.name) === squashed(wanted)) return best.name;
  return best.distance <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance: single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** `a, b or c` */
export function orList(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
