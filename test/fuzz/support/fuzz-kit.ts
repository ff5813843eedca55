import { expect } from 'vitest';
import { describeError } from '../../../src/cli/render-error.js';

/** Fixed seed (override with STORYCORE_FUZZ_SEED to explore; a failure prints the seed and path to replay it). */
export const FUZZ_SEED = Number(process.env.STORYCORE_FUZZ_SEED ?? 20_261_208);
/** Cases per input kind (the acceptance criterion is 10 000; STORYCORE_FUZZ_RUNS lowers it for a quick local look). */
export const FUZZ_RUNS = Number(process.env.STORYCORE_FUZZ_RUNS ?? 10_000);
/** Generous: 10 000 cases of the slowest kind take a few seconds. */
export const FUZZ_TIMEOUT_MS = 300_000;

/** Counts what a fuzz run saw, printed once so the seed and counts can go into the notes. */
export class FuzzTally {
  accepted = 0;
  rejected = 0;
  readonly codes = new Map<string, number>();

  constructor(readonly kind: string) {}

  accept(): void {
    this.accepted++;
  }

  /**
   * A rejection must be one of ours: rendered by the CLI as one line, without "unexpected
   * error" or a stack frame, and naming a field (`field` matches the rendered line).
   */
  reject(error: unknown, field: RegExp): void {
    this.rejection(error, field);
    this.rejected++;
  }

  /** Checks one rejection (as `reject`) without counting a case: for inputs that pass several stages. */
  rejection(error: unknown, field: RegExp): void {
    const rendered = describeError(error);
    const line = `${rendered.message}${rendered.hint ? ` — ${rendered.hint}` : ''}`;
    if (!rendered.expected) throw new Error(`${this.kind}: unexpected error: ${line}\n${(error as Error).stack ?? ''}`);
    expect(line).not.toMatch(/\n|unexpected error|\bat .+:\d+:\d+\)/);
    expect(line, `${this.kind}: the rejection names no field`).toMatch(field);
    if (process.env.STORYCORE_FUZZ_SHOW) console.log(line);
    this.codes.set(rendered.code, (this.codes.get(rendered.code) ?? 0) + 1);
  }

  report(): string {
    const codes = [...this.codes.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    const line = `fuzz ${this.kind}: seed ${FUZZ_SEED}, ${this.accepted + this.rejected} cases, ${this.accepted} accepted, ${this.rejected} rejected cleanly (${codes}), 0 crashes`;
    console.log(line);
    return line;
  }
}
