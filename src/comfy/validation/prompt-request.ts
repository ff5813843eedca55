import type { ApiGraph } from '../graph.js';
import type { ObjectInfo } from '../object-info/types.js';
import { isCanonicalUuid } from '../comfyui-version.js';
import { pyStr, pyTypeName } from '../python-repr.js';
import { ValidationCrashError } from './errors/validation-crash-error.js';
import { PyException, typeError } from './python-exception.js';
import { pyBool, pyContains, pyFloat, pyGetItem } from './python-values.js';
import type { NodeErrors, PromptError, ValidateOptions } from './types.js';
import { validatePromptValue } from './validate-prompt.js';

/** Where the job goes in the queue: an explicit `number`, or the server's counter (negated when `front`). */
export type QueuePlacement = { kind: 'explicit'; number: number } | { kind: 'counter'; front: boolean };

/**
 * What `POST /prompt` answers, before the server touches its queue. `consumesNumber` says the
 * real server incremented its counter (it does so before validating, so failed prompts use
 * numbers too).
 */
export type PromptRequestOutcome =
  | { status: 500; reason: string; consumesNumber: boolean }
  | { status: 400; body: { error: PromptError; node_errors: NodeErrors }; consumesNumber: boolean }
  | {
      status: 200;
      prompt: ApiGraph;
      outputs: string[];
      nodeErrors: NodeErrors;
      /** `str(prompt_id)` when the body had one (`null` → "None"); otherwise the server makes a uuid4. */
      promptId: string | undefined;
      placement: QueuePlacement;
      extraData: unknown;
      consumesNumber: boolean;
    };

function crash(err: unknown, consumesNumber: boolean): PromptRequestOutcome {
  if (err instanceof PyException) return { status: 500, reason: `${err.pyType}: ${err.pyMessage}`, consumesNumber };
  if (err instanceof ValidationCrashError) return { status: 500, reason: `${err.exceptionType}: ${err.exceptionMessage}`, consumesNumber };
  throw err;
}

/** `d[key] = value` on whatever `extra_data` turned out to be. */
function setItem(target: unknown, key: string, value: unknown): void {
  if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  if (Array.isArray(target)) throw typeError('list indices must be integers or slices, not str');
  throw typeError(`'${pyTypeName(target)}' object does not support item assignment`);
}

/**
 * `post_prompt` of ComfyUI 0.3.64 on a parsed JSON body (a body that is not JSON at all is a 500
 * the HTTP layer answers itself): `no_prompt`, validation (400 or 200, possibly with
 * node_errors), and the bodies the real server crashes on (500).
 */
export function validatePromptRequest(
  body: unknown,
  objectInfo: ObjectInfo,
  options: Pick<ValidateOptions, 'inputFileExists' | 'protocol'> = {},
): PromptRequestOutcome {
  let consumesNumber = false;
  try {
    let placement: QueuePlacement;
    if (pyContains(body, 'number')) {
      placement = { kind: 'explicit', number: pyFloat(pyGetItem(body, 'number')) };
    } else {
      consumesNumber = true;
      const front = pyContains(body, 'front') ? pyBool(pyGetItem(body, 'front')) : false;
      placement = { kind: 'counter', front };
    }

    if (!pyContains(body, 'prompt')) {
      const error: PromptError = { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} };
      return { status: 400, body: { error, node_errors: {} }, consumesNumber };
    }
    const fields = body as Record<string, unknown>;
    const prompt = pyGetItem(fields, 'prompt');
    const sentId = Object.hasOwn(fields, 'prompt_id') ? fields.prompt_id : undefined;
    if (options.protocol === 'current' && sentId !== undefined && sentId !== null && !isCanonicalUuid(sentId)) {
      // Current ComfyUI (comfy_execution/jobs.py validate_job_id) refuses any other spelling.
      const error: PromptError = {
        type: 'invalid_prompt_id',
        message: 'prompt_id must be a valid UUID',
        details: 'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one',
        extra_info: {},
      };
      return { status: 400, body: { error, node_errors: {} }, consumesNumber };
    }
    const promptId = sentId === undefined || (sentId === null && options.protocol === 'current') ? undefined : pyStr(sentId);
    const targets = Object.hasOwn(fields, 'partial_execution_targets') ? fields.partial_execution_targets : null;

    const outcome = validatePromptValue(prompt, objectInfo, targets, options.inputFileExists, options.protocol);

    // Done after validation, so a bad extra_data turns even a 400 into a 500.
    const extraData: unknown = Object.hasOwn(fields, 'extra_data') ? structuredClone(fields.extra_data) : {};
    if (Object.hasOwn(fields, 'client_id')) setItem(extraData, 'client_id', fields.client_id);

    if (!outcome.ok) return { status: 400, body: { error: outcome.error, node_errors: outcome.nodeErrors }, consumesNumber };
    return {
      status: 200,
      prompt: outcome.prompt,
      outputs: outcome.outputs,
      nodeErrors: outcome.nodeErrors,
      promptId,
      placement,
      extraData,
      consumesNumber,
    };
  } catch (err) {
    return crash(err, consumesNumber);
  }
}
