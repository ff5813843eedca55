import { randomUUID } from 'node:crypto';
import type { ComfyProtocol } from '../../comfy/comfyui-version.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import { copyLiterals } from '../../comfy/py-literals.js';
import { HandlerCrash } from '../server/http-kit.js';
import { PyFloat } from '../server/py-json.js';
import { validatePromptRequest } from '../../comfy/validation/index.js';
import type { PromptQueue } from './prompt-queue.js';
import type { StatsRecorder } from './stats.js';

/** Extra-data keys ComfyUI keeps out of the queue tuple and history. */
const SENSITIVE_EXTRA_DATA_KEYS = ['auth_token_comfy_org', 'api_key_comfy_org'];

export interface SubmissionDeps {
  queue: PromptQueue;
  stats: StatsRecorder;
  objectInfo: () => ObjectInfo;
  inputFileExists: (annotatedName: string) => boolean;
  comfyui: ComfyProtocol;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Python truthiness of a JSON value. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * `POST /prompt` as server.py handles it: `validatePromptRequest` decides the answer (the
 * counter is consumed even when validation then fails), then the job is queued. Returns the status and JSON body; throws
 * `HandlerCrash` where Python raises (answered with the 500 page).
 */
/** A copy of the validated prompt with FLOAT literals as PyFloat: Python's `float()` made them `5.0` in /queue and /history. */
function withPythonFloats(prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>, objectInfo: ObjectInfo): unknown {
  const out: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(prompt)) {
    const def = objectInfo[node.class_type];
    const inputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node.inputs)) {
      const spec = def?.input.required?.[name] ?? def?.input.optional?.[name];
      const isFloat = Array.isArray(spec) && spec[0] === 'FLOAT' && typeof value === 'number';
      inputs[name] = isFloat ? new PyFloat(value) : value;
    }
    out[id] = { ...node, inputs };
  }
  return out;
}

export function submitPrompt(deps: SubmissionDeps, json: unknown): { status: number; body: unknown } {
  const objectInfo = deps.objectInfo();
  const outcome = validatePromptRequest(json, objectInfo, { inputFileExists: deps.inputFileExists, protocol: deps.comfyui });
  let number = 0;
  if (outcome.consumesNumber) {
    number = deps.queue.counter;
    deps.queue.counter += 1;
  }
  if (outcome.status === 500) throw new HandlerCrash(outcome.reason);
  if (outcome.status === 400) return { status: 400, body: outcome.body };
  const numberIsFloat = outcome.placement.kind === 'explicit';
  if (outcome.placement.kind === 'explicit') number = outcome.placement.number;
  else if (outcome.placement.front) number = -number;
  const promptId = outcome.promptId ?? randomUUID();
  const extraData = (isPlainObject(outcome.extraData) ? outcome.extraData : {}) as Record<string, unknown>;
  const sensitive: Record<string, unknown> = {};
  for (const key of SENSITIVE_EXTRA_DATA_KEYS) {
    if (key in extraData) {
      sensitive[key] = extraData[key];
      delete extraData[key];
    }
  }
  // Current ComfyUI stamps the submission time (ms) for the Jobs API.
  if (deps.comfyui === 'current') extraData.create_time = Date.now();
  deps.stats.submitted(promptId);
  const tuplePrompt = withPythonFloats(outcome.prompt, objectInfo);
  if (isPlainObject(json)) copyLiterals(json.prompt, tuplePrompt);
  deps.queue.put({ number, numberIsFloat, promptId, prompt: outcome.prompt, tuplePrompt, extraData, outputs: outcome.outputs, sensitive });
  return {
    status: 200,
    body: { prompt_id: promptId, number: numberIsFloat ? new PyFloat(number) : number, node_errors: outcome.nodeErrors },
  };
}
