import type { ComfyProtocol } from '../comfyui-version.js';
import type { ApiGraph } from '../graph.js';
import type { ObjectInfo } from '../object-info/types.js';
import { pyStr } from '../python-repr.js';
import { ValidationCrashError } from './errors/validation-crash-error.js';
import { formatTraceback, PyException, typeError } from './python-exception.js';
import { pyContains, pyGetItem } from './python-values.js';
import { protocolFor } from './protocol-rules.js';
import { FRAMES } from './source-frames.js';
import type { NodeErrorReason, NodeErrors, PromptError, ValidateOptions, ValidationOutcome } from './types.js';
import { validateNode, type ValidationRun } from './validate-node.js';

/**
 * ComfyUI 0.3.64's `validate_prompt`, answer for answer: the same error types, messages,
 * details and `node_errors` as the real server (see test/fixtures/comfyui/05-invalid-prompts.json).
 * The input is not modified; `ok` results carry a coerced copy (INT/FLOAT/STRING/BOOLEAN
 * converted, `{"__value__": [...]}` unwrapped) as ComfyUI would queue it.
 *
 * Throws `ValidationCrashError` where real ComfyUI raises out of validation (HTTP 500).
 *
 * @example
 * const outcome = validatePrompt(graph, defaultObjectInfo(), { inputFileExists: (f) => files.has(f) });
 * if (!outcome.ok) console.log(renderNodeErrors(outcome.error, outcome.nodeErrors, graph));
 */
export function validatePrompt(prompt: unknown, objectInfo: ObjectInfo, options: ValidateOptions = {}): ValidationOutcome {
  return validatePromptValue(prompt, objectInfo, options.partialExecutionTargets, options.inputFileExists, options.protocol);
}

/** As `validatePrompt`, with `partial_execution_targets` taken as sent in a request body. */
export function validatePromptValue(
  prompt: unknown,
  objectInfo: ObjectInfo,
  partialExecutionTargets: unknown,
  inputFileExists?: (annotatedName: string) => boolean,
  protocol?: ComfyProtocol,
): ValidationOutcome {
  try {
    return run(prompt, objectInfo, partialExecutionTargets, inputFileExists, protocolFor(objectInfo, protocol));
  } catch (err) {
    if (err instanceof PyException) throw new ValidationCrashError(err.pyType, err.pyMessage);
    throw err;
  }
}

function promptError(type: string, message: string, details: string): PromptError {
  return { type, message, details, extra_info: {} };
}

function run(
  prompt: unknown,
  objectInfo: ObjectInfo,
  targets: unknown,
  inputFileExists: ((annotatedName: string) => boolean) | undefined,
  protocol: ComfyProtocol,
): ValidationOutcome {
  const graph = prompt === undefined ? undefined : (JSON.parse(JSON.stringify(prompt)) as unknown);
  const ids = nodeIds(graph);

  const outputs: string[] = [];
  for (const id of ids) {
    const node = pyGetItem(graph, id);
    if (!pyContains(node, 'class_type')) {
      return { ok: false, error: promptError('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`), nodeErrors: {} };
    }
    const classType = pyGetItem(node, 'class_type');
    if (classType !== null && typeof classType === 'object') throw typeError(`unhashable type: '${Array.isArray(classType) ? 'list' : 'dict'}'`);
    const def = typeof classType === 'string' && Object.hasOwn(objectInfo, classType) ? objectInfo[classType] : undefined;
    if (!def) {
      const message = `Cannot execute because node ${pyStr(classType)} does not exist.`;
      return { ok: false, error: promptError('invalid_prompt', message, `Node ID '#${id}'`), nodeErrors: {} };
    }
    if (def.output_node === true && (targets === undefined || targets === null || pyContains(targets, id))) outputs.push(id);
  }

  if (outputs.length === 0) {
    return { ok: false, error: promptError('prompt_no_outputs', 'Prompt has no outputs', ''), nodeErrors: {} };
  }

  const state: ValidationRun = {
    prompt: graph as Record<string, unknown>,
    objectInfo,
    validated: new Map(),
    active: new Set(),
    inputFileExists,
    protocol,
  };
  const good: string[] = [];
  const failures: NodeErrorReason[][] = [];
  const nodeErrors: NodeErrors = {};

  for (const output of outputs) {
    let valid = false;
    let reasons: NodeErrorReason[];
    try {
      const result = validateNode(state, output);
      valid = result.valid;
      reasons = result.errors;
    } catch (err) {
      if (!(err instanceof PyException)) throw err;
      reasons = [
        {
          type: 'exception_during_validation',
          message: 'Exception when validating node',
          details: err.pyMessage,
          extra_info: { exception_type: err.pyType, traceback: formatTraceback([FRAMES.validatePromptCall, ...err.frames]) },
        },
      ];
      state.validated.set(output, { valid: false, errors: reasons });
    }

    if (valid) {
      good.push(output);
      continue;
    }
    failures.push(reasons);
    // As in ComfyUI, every failed node validated so far (not only this output's upstream) gets
    // this output appended; nodes that failed only because of an upstream node are left out.
    for (const [nodeId, result] of state.validated) {
      if (result.valid || result.errors.length === 0) continue;
      if (!Object.hasOwn(nodeErrors, nodeId)) {
        const classType = (state.prompt[nodeId] as { class_type: string }).class_type;
        Object.defineProperty(nodeErrors, nodeId, {
          value: { errors: result.errors, dependent_outputs: [], class_type: classType },
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      nodeErrors[nodeId]!.dependent_outputs.push(output);
    }
  }

  if (good.length === 0) {
    // Only the output nodes' own reasons are listed; upstream failures leave this empty.
    const details = failures.flatMap((reasons) => reasons.map((r) => `${r.message}: ${r.details}`)).join('\n');
    return { ok: false, error: promptError('prompt_outputs_failed_validation', 'Prompt outputs failed validation', details), nodeErrors };
  }
  return { ok: true, prompt: state.prompt as ApiGraph, outputs: good, nodeErrors };
}

/**
 * `for x in prompt`: a dict gives its ids. Anything else either iterates to nothing (empty list or
 * string → no outputs) or makes ComfyUI raise; non-dict prompts that would get further are
 * treated as crashes too, since node ids must be strings from there on.
 */
function nodeIds(graph: unknown): string[] {
  if (graph !== null && typeof graph === 'object' && !Array.isArray(graph)) return Object.keys(graph);
  if (Array.isArray(graph) || typeof graph === 'string') {
    if (graph.length === 0) return [];
    if (typeof graph === 'string') throw typeError("string indices must be integers, not 'str'");
    throw typeError('a non-empty list is not an API-format prompt');
  }
  const name = graph === null || graph === undefined ? 'NoneType' : typeof graph === 'boolean' ? 'bool' : Number.isInteger(graph) ? 'int' : 'float';
  throw typeError(`'${name}' object is not iterable`);
}
