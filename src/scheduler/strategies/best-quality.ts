import type { Precision } from '../../catalog/templates/template.js';
import type { RoutableTask, WorkerView } from '../router/types.js';
import { best, timeline, type Strategy } from './strategy.js';

const RANK: Record<Precision, number> = { fp32: 4, bf16: 3, fp16: 3, fp8: 2 };

/** The best precision of the task's model whose VRAM need fits the worker. */
function bestPrecision(task: RoutableTask, w: WorkerView): Precision {
  const fits = (Object.entries(task.vramNeedGb) as [Precision, number][]).filter(([, gb]) => gb * 1e9 <= w.vramTotalBytes);
  return fits.sort((a, b) => RANK[b[0]] - RANK[a[0]])[0]?.[0] ?? task.precision;
}

/** The worker that can run the highest precision of the task's model; ties by earliest finish. */
export const bestQuality: Strategy = {
  name: 'best_quality',
  description: 'highest precision that fits the worker, then earliest finish',
  pick(task, feasible, context) {
    const top = best(task, feasible, context, (w) => RANK[bestPrecision(task, w)]);
    return { ...top, reasons: [`can run ${bestPrecision(task, top.worker)}, the best precision in the pool`, timeline(top.estimate)] };
  },
};
