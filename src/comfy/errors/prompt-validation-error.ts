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
 * `render()` gives one readable line per problem.
 */
export class PromptValidationError extends ComfyError {
  readonly error: PromptError;
  readonly nodeErrors: NodeErrors;
  readonly problems: PromptProblem[];

  constructor(error: PromptError, nodeErrors: NodeErrors, options: { url?: string } = {}) {
    const problems = flattenProblems(error, nodeErrors);
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

function flattenProblems(error: PromptError, nodeErrors: NodeErrors): PromptProblem[] {
  const problems: PromptProblem[] = [];
  for (const [nodeId, entry] of Object.entries(nodeErrors)) {
    for (const e of entry.errors) {
      const inputName = typeof e.extra_info?.input_name === 'string' ? e.extra_info.input_name : undefined;
      problems.push({ nodeId, classType: entry.class_type, inputName, type: e.type, message: e.message, details: e.details });
    }
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
  if (problems.some((p) => p.type === 'value_not_in_list')) {
    return 'install the missing model/file on the worker or pick one it has (GET /models/<folder>)';
  }
  if (type === 'invalid_prompt' || type === 'missing_node_type') {
    return 'the worker lacks a node class this graph uses: install the custom node pack or route to another worker';
  }
  if (type === 'prompt_no_outputs') return 'add an output node (e.g. SaveImage) to the graph';
  return 'fix the inputs named above in the graph; storycore preflight <graph.json> --worker <url> lists every problem';
}
