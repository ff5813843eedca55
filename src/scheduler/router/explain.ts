import { secs, timeline } from '../strategies/strategy.js';
import type { FinishEstimate } from './types.js';

export interface WorkerVerdict {
  worker: string;
  verdict: 'chosen' | 'infeasible' | 'later' | 'ranked-lower' | 'no-slot';
  reasons: string[];
  estimate?: FinishEstimate;
  /** How much later than the chosen worker this one would finish (ms). */
  laterByMs?: number;
}

/** Why a task goes where it goes, and why not elsewhere. */
export interface Explanation {
  taskId: string;
  templateId: string;
  strategy: string;
  chosen?: WorkerVerdict;
  others: WorkerVerdict[];
  text: string;
}

/** The printable form of an explanation, one line per worker. */
export function renderExplanation(e: Omit<Explanation, 'text'>): string {
  const head = e.chosen ? `task ${e.taskId} (${e.templateId}) → ${e.chosen.worker} [${e.strategy}]` : `task ${e.taskId} (${e.templateId}) → no worker [${e.strategy}]`;
  const lines = [head];
  if (e.chosen) lines.push(`  ${e.chosen.worker}: chosen: ${e.chosen.reasons.join('; ')}`);
  for (const o of e.others) {
    if (o.verdict === 'infeasible') lines.push(`  ${o.worker}: cannot run it: ${o.reasons.join('; ')}`);
    else if (o.verdict === 'later') lines.push(`  ${o.worker}: would finish ${secs(o.laterByMs ?? 0)} later (${o.estimate ? timeline(o.estimate) : ''})`);
    else lines.push(`  ${o.worker}: ${o.reasons.join('; ')}`);
  }
  return lines.join('\n');
}
