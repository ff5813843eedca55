import type { ApiGraph } from '../graph.js';
import { describeCycle, findCycle } from '../graph-cycle.js';
import { modelInputFolder } from '../object-info/model-lists.js';
import type { NodeErrors, PromptError } from '../protocol/prompt-errors.js';
import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

/** One reason ComfyUI gave for refusing a prompt, flattened out of `node_errors`. */
export interface PromptProblem {
  nodeId?: string;
  classType?: string;
  inputName?: string;
  type: string;
  message: string;
  details: string;
}

/**
 * `POST /prompt` answered 400: the graph does not fit the worker (missing node class, model file
 * not installed, value out of range…). Carries ComfyUI's own `error` and `node_errors`;
 * `render()` gives one readable line per problem. With the submitted `graph`, a rejection
 * without node errors caused by a link cycle names the nodes of the cycle.
 */
export class PromptValidationError extends ComfyError {
  readonly error: PromptError;
  readonly nodeErrors: NodeErrors;
  readonly problems: PromptProblem[];

  constructor(error: PromptError, nodeErrors: NodeErrors, options: { url?: string; graph?: ApiGraph } = {}) {
    const problems = flattenProblems(error, nodeErrors, options.graph);
    const first = problems[0] ? formatProblem(problems[0]) : error.message;
    const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
    super(ComfyErrorCode.promptInvalid, `ComfyUI${options.url ? ` at ${options.url}` : ''} rejected the prompt: ${first}${more}`, {
      hint: hintFor(error.type, problems),
    });
    this.error = error;
    this.nodeErrors = nodeErrors;
    this.problems = problems;
  }

  /** Multi-line report: the top-level error, then one line per node problem. */
  render(): string {
    const head = `${this.error.message} [${this.error.type}]`;
    return [head, ...this.problems.map((p) => `  - ${formatProblem(p)}`)].join('\n');
  }
}

export function isPromptValidationError(value: unknown): value is PromptValidationError {
  return hasCode(value, ComfyErrorCode.promptInvalid);
}

function flattenProblems(error: PromptError, nodeErrors: NodeErrors, graph: ApiGraph | undefined): PromptProblem[] {
  const problems: PromptProblem[] = [];
  for (const [nodeId, entry] of Object.entries(nodeErrors)) {
    for (const e of entry.errors) {
      const inputName = typeof e.extra_info?.input_name === 'string' ? e.extra_info.input_name : undefined;
      problems.push({ nodeId, classType: entry.class_type, inputName, type: e.type, message: e.message, details: e.details });
    }
  }
  // ComfyUI answers a link cycle with "Prompt outputs failed validation" and no node_errors.
  const cycle = problems.length === 0 && error.type === 'prompt_outputs_failed_validation' && graph ? findCycle(graph) : undefined;
  if (cycle) {
    problems.push({ type: 'dependency_cycle', message: `${error.message}: the links form a cycle`, details: describeCycle(graph!, cycle) });
  }
  // Prompt-level failures (invalid_prompt, prompt_no_outputs…) have no node_errors.
  if (problems.length === 0) problems.push({ type: error.type, message: error.message, details: error.details });
  return problems;
}

function formatProblem(p: PromptProblem): string {
  const where = [
    p.nodeId !== undefined ? `node ${p.nodeId}` : undefined,
    p.classType ? `(${p.classType})` : undefined,
    p.inputName ? `input ${p.inputName}` : undefined,
  ].filter(Boolean);
  const details = p.details && p.details !== p.inputName ? `: ${oneLine(p.details)}` : '';
  return `${where.length > 0 ? `${where.join(' ')}: ` : ''}${p.message}${details} [${p.type}]`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' | ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

function hintFor(type: string, problems: PromptProblem[]): string {
  const cycle = problems.find((p) => p.type === 'dependency_cycle');
  if (cycle) return `break the cycle ${cycle.details}: a node cannot take its input, directly or through other nodes, from its own output`;
  const combos = problems.filter((p) => p.type === 'value_not_in_list');
  if (combos.length > 0) {
    const folders = [...new Set(combos.map((p) => (p.classType && p.inputName ? modelInputFolder(p.classType, p.inputName) : undefined)).filter((f) => f !== undefined))];
    const others = combos.filter((p) => !(p.classType && p.inputName && modelInputFolder(p.classType, p.inputName)));
    const hints = [
      ...(folders.length > 0 ? [`install the missing model on the worker (models/${folders.join('/, models/')}/) or pick one it has (GET /models/${folders[0]})`] : []),
      ...(others.length > 0 ? [`set ${others.map((p) => `node ${p.nodeId}${p.inputName ? ` ${p.inputName}` : ''}`).join(', ')} to one of the values the worker lists in the error (the graph may come from another ComfyUI or node pack version)`] : []),
    ];
    return hints.join('; ');
  }
  if (type === 'invalid_prompt' || type === 'missing_node_type') {
    return 'the worker lacks a node class this graph uses: install the custom node pack or route to another worker';
  }
  if (type === 'prompt_no_outputs') return 'add an output node (e.g. SaveImage) to the graph';
  return 'fix the inputs the error lists, node by node, in the graph';
}
