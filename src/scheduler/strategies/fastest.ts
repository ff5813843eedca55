import { best, secs, timeline, type Strategy } from './strategy.js';

/** The worker with the shortest run for this template (learned or estimated), ignoring its queue. */
export const fastest: Strategy = {
  name: 'fastest',
  description: 'shortest run time for this template (learned, else the catalogue), queue ignored',
  pick(task, feasible, context) {
    const top = best(task, feasible, context, (_w, e) => -e.runMs);
    return { ...top, reasons: [`fastest run: ${secs(top.estimate.runMs)}`, timeline(top.estimate)] };
  },
};
