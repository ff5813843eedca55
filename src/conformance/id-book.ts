/**
 * Pairs the prompt ids a live server returned with the ones of the reference recording
 * (k-th `POST /prompt` of a scenario ↔ k-th of its recording), across scenarios: scenario 13
 * deletes scenario 3's prompt, so later scripts ask for the live id of a recorded one.
 */
export class IdBook {
  private readonly liveByRecorded = new Map<string, string>();
  private readonly recordedByLive = new Map<string, string>();

  pair(recorded: string, live: string): void {
    this.liveByRecorded.set(recorded, live);
    this.recordedByLive.set(live, recorded);
  }

  /** The live id standing for a recorded one; the recorded id itself when unpaired (e.g. 'no-such-id'). */
  live(recorded: string): string {
    return this.liveByRecorded.get(recorded) ?? recorded;
  }

  recorded(live: string): string | undefined {
    return this.recordedByLive.get(live);
  }

  /** live → recorded pairs whose ids differ, longest first (so no id is a prefix-replacement of another). */
  substitutions(): Array<[string, string]> {
    return [...this.recordedByLive.entries()].filter(([l, r]) => l !== r).sort((a, b) => b[0].length - a[0].length);
  }
}
