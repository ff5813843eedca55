export type RenderStage = 'shots' | 'crossfades' | 'mux';

export interface RenderProgress {
  /** 0…1 over the whole render, monotonic. */
  fraction: number;
  stage: RenderStage;
  shotId?: string;
}

/**
 * Combines the fractions of many ffmpeg runs into one: each step weighs the frames it
 * encodes, so a 10 s shot counts ten times a 1 s one.
 */
export class RenderProgressTracker {
  private readonly done = new Map<string, number>();
  private readonly weights = new Map<string, number>();
  private reported = 0;

  constructor(private readonly listener: ((progress: RenderProgress) => void) | undefined) {}

  addStep(key: string, weight: number): void {
    this.weights.set(key, Math.max(weight, 1e-9));
    this.done.set(key, 0);
  }

  /** A callback for one step's ffmpeg run. */
  stepListener(key: string, stage: RenderStage, shotId?: string): (fraction: number) => void {
    return (fraction) => {
      this.done.set(key, Math.min(1, Math.max(this.done.get(key) ?? 0, fraction)));
      let total = 0;
      let sum = 0;
      for (const [step, weight] of this.weights) {
        total += weight;
        sum += weight * (this.done.get(step) ?? 0);
      }
      const overall = total > 0 ? sum / total : 1;
      if (overall <= this.reported) return;
      this.reported = overall;
      this.listener?.({ fraction: overall, stage, ...(shotId ? { shotId } : {}) });
    };
  }
}
