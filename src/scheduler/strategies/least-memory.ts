import { best, timeline, type Strategy } from './strategy.js';

/** Best fit: the smallest card the task fits on, keeping large cards free for large jobs. */
export const leastMemory: Strategy = {
  name: 'least_memory',
  description: 'smallest VRAM that fits (keeps big cards for big jobs), then earliest finish',
  pick(task, feasible, context) {
    const top = best(task, feasible, context, (w) => -w.vramTotalBytes);
    return { ...top, reasons: [`smallest card that fits: ${(top.worker.vramTotalBytes / 1e9).toFixed(1)} GB`, timeline(top.estimate)] };
  },
};
