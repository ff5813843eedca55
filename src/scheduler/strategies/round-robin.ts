import { timeline, type Strategy } from './strategy.js';

/** Each task to the next worker in name order that can run it. */
export const roundRobin: Strategy = {
  name: 'round_robin',
  description: 'the next worker in turn (name order) that can run the task',
  pick(task, feasible, context) {
    const names = [...feasible].map((w) => w.name).sort();
    const last = context.state.get('round_robin.last') as string | undefined;
    const next = names.find((n) => last === undefined || n > last) ?? names[0]!;
    context.state.set('round_robin.last', next);
    const worker = feasible.find((w) => w.name === next)!;
    const estimate = context.estimator.estimate(task, worker);
    return { worker, score: 0, estimate, reasons: [`next in turn after ${last ?? '(start)'}`, timeline(estimate)] };
  },
};
