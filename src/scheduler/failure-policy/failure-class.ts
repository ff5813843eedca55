import { hasCode } from '../../comfy/errors/comfy-error.js';

/**
 * What kind of failure an error is, read from its stable `code` (never its message or class
 * identity, so errors that crossed a process boundary classify the same):
 * - `worker`: the worker failed us (unreachable, 5xx, timeout, marked down, lost the prompt):
 *   retry on another worker.
 * - `invalid`: the request cannot succeed anywhere as it is (validation, preflight, missing
 *   node/model, bad payload): fail now with the fix.
 * - `out_of_memory`: retry where more VRAM is free, or with less memory.
 * - `interrupted`: someone stopped the prompt: the job is cancelled.
 * - `execution`: a node raised on a valid graph: retry on another worker, bounded.
 * - `unknown`: anything else (a bug, a full disk): retry, bounded.
 */
export type FailureClass = 'worker' | 'invalid' | 'out_of_memory' | 'interrupted' | 'execution' | 'unknown';

const WORKER_CODES = new Set([
  'COMFY_WORKER_UNAVAILABLE',
  'COMFY_TIMEOUT',
  'COMFY_PROMPT_VANISHED',
  'COMFY_PROTOCOL',
  'COMFY_CLIENT_CLOSED',
  'DISPATCH_WORKER_DOWN',
]);
const INVALID_CODES = new Set([
  'COMFY_PROMPT_INVALID',
  'DISPATCH_PREFLIGHT_FAILED',
  'DISPATCH_INVALID_PAYLOAD',
  'DISPATCH_INPUT_MISSING',
  'ROUTER_NO_FEASIBLE_WORKER',
  'TEMPLATE_UNKNOWN',
  'TEMPLATE_UNKNOWN_VARIANT',
  'TEMPLATE_PARAMS_INVALID',
]);

export function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') return (error as { code: string }).code;
  return 'DISPATCH_UNEXPECTED';
}

export function classify(error: unknown): FailureClass {
  const code = codeOf(error);
  if (WORKER_CODES.has(code)) return 'worker';
  if (INVALID_CODES.has(code) || /^(TEMPLATE|MODEL)_/.test(code)) return 'invalid';
  if (code === 'COMFY_OUT_OF_MEMORY' || code === 'DISPATCH_VRAM_SHORT') return 'out_of_memory';
  if (code === 'COMFY_INTERRUPTED') return 'interrupted';
  if (code === 'COMFY_EXECUTION_FAILED') return 'execution';
  if (hasCode(error, 'COMFY_HTTP_STATUS')) {
    const status = (error as { status?: unknown }).status;
    return typeof status === 'number' && status >= 500 ? 'worker' : 'invalid';
  }
  return 'unknown';
}
