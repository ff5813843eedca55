import { best, secs, timeline, type Strategy } from './strategy.js';

/** The least loaded worker: the least estimated work already queued on it; ties by earliest finish. */
export const balanced: Strategy = {
  name: 'balanced',
  description: 'least queued work (estimated ms), then earliest finish',
  pick(task, feasible, context) {
    const top = best(task, feasible, context, (_w, e) => -e.startMs);
    return { ...top, reasons: [`least queued work: free in ${secs(top.estimate.startMs)}`, timeline(top.estimate)] };
  },
};
