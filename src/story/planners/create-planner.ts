import { LlmPlanner } from './llm/llm-planner.js';
import type { Planner } from './planner.js';
import { RulePlanner } from './rules/rule-planner.js';
import { PlannerNotConfiguredError } from './errors/planner-not-configured-error.js';

/** The `planner` section of the configuration (structurally; the config layer sits above this one). */
export interface PlannerSettings {
  kind: 'rules' | 'llm';
  llm?: { url?: string; model?: string; apiKey?: string; timeoutMs?: number };
}

/** The planner a configuration asks for: rules by default, the LLM planner when `kind: llm`. */
export function createPlanner(settings: PlannerSettings = { kind: 'rules' }): Planner {
  if (settings.kind === 'rules') return new RulePlanner();
  const { url, model, apiKey, timeoutMs } = settings.llm ?? {};
  if (!url || !model) {
    throw new PlannerNotConfiguredError([...(url ? [] : ['planner.llm.url']), ...(model ? [] : ['planner.llm.model'])]);
  }
  return new LlmPlanner({ url, model, ...(apiKey ? { apiKey } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
}
