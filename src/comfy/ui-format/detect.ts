import { jsonKind } from '../../platform/json-kind.js';
/**
 * Tells an API prompt from an editor workflow before anyone tries to run or convert it. The
 * reasons say what was seen, so a CLI can explain a refusal ("has `nodes` and `links`: an
 * editor workflow; convert it first").
 */
export type WorkflowFormat = 'api' | 'ui' | 'unknown';

export interface FormatDetection {
  format: WorkflowFormat;
  reasons: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function detectWorkflowFormat(json: unknown): FormatDetection {
  if (!isObject(json)) {
    return { format: 'unknown', reasons: [`top level is ${jsonKind(json)}, not an object`] };
  }
  if (Array.isArray(json.nodes)) {
    const reasons = ['has a `nodes` array'];
    if (Array.isArray(json.links)) reasons.push('has a `links` table');
    if (json.version !== undefined) reasons.push(`version ${String(json.version)}`);
    if (isObject(json.definitions) && Array.isArray(json.definitions.subgraphs)) reasons.push('defines subgraphs');
    return { format: 'ui', reasons };
  }
  // A request body `{prompt: {...}, client_id}` wraps an API graph: judge the graph.
  if (isObject(json.prompt) && !('class_type' in json.prompt)) {
    const inner = detectWorkflowFormat(json.prompt);
    if (inner.format === 'api') return { format: 'api', reasons: ['a /prompt request body; its `prompt` is an API graph', ...inner.reasons] };
  }
  const entries = Object.entries(json);
  if (entries.length === 0) return { format: 'unknown', reasons: ['empty object'] };
  const notNodes = entries.filter(([, node]) => !isObject(node) || typeof node.class_type !== 'string' || !isObject(node.inputs));
  if (notNodes.length === 0) {
    return { format: 'api', reasons: [`${entries.length} entries, each with class_type and inputs`] };
  }
  const sample = notNodes
    .slice(0, 3)
    .map(([key]) => key)
    .join(', ');
  return { format: 'unknown', reasons: [`no \`nodes\` array, and ${notNodes.length} entries lack class_type/inputs (${sample})`] };
}
