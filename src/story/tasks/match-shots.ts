import { UnknownShotError } from './errors/unknown-shot-error.js';

/**
 * The shot ids a user named (`--force shot-3 shot-007`): exact ids, or the same number with
 * any zero padding. Throws UnknownShotError for a name that matches no shot.
 */
export function matchShots(names: readonly string[], shots: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const name of names) {
    const exact = shots.find((s) => s === name);
    const number = /^(?:shot-)?0*(\d+)$/.exec(name)?.[1];
    const byNumber = number === undefined ? undefined : shots.find((s) => /^shot-0*(\d+)$/.exec(s)?.[1] === number);
    const hit = exact ?? byNumber;
    if (!hit) throw new UnknownShotError(name, shots);
    found.add(hit);
  }
  return found;
}
