import { describe, expect, it } from 'vitest';
import { templateById } from '../../src/catalog/templates/registry.js';
import { ExecutionError } from '../../src/comfy/errors/execution-error.js';
import { HttpStatusError } from '../../src/comfy/errors/http-status-error.js';
import { InterruptedError } from '../../src/comfy/errors/interrupted-error.js';
import { OutOfMemoryError } from '../../src/comfy/errors/out-of-memory-error.js';
import { PromptValidationError } from '../../src/comfy/errors/prompt-validation-error.js';
import { PromptVanishedError } from '../../src/comfy/errors/prompt-vanished-error.js';
import { TimeoutError } from '../../src/comfy/errors/timeout-error.js';
import { WorkerUnavailableError } from '../../src/comfy/errors/worker-unavailable-error.js';
import { WorkerDownError } from '../../src/scheduler/dispatcher/errors/worker-down-error.js';
import { workerOfOwner } from '../../src/scheduler/dispatcher/owner.js';
import { constraintsFromHistory, decide, lowerMemoryOption, retryDelay, vramNeedGb, type Decision, type PolicyContext, type PolicyWorker } from '../../src/scheduler/failure-policy/index.js';
import { combinedFailure } from '../../src/scheduler/queue/failure-message.js';
import type { AttemptRecord } from '../../src/scheduler/queue/job-queue.js';

const GiB = 1024 ** 3;
const rtx4090: PolicyWorker = { name: 'rtx4090', profile: 'rtx4090', vramTotalBytes: 25386352640, vramFreeBytes: 20 * GiB, healthy: true };
const a100: PolicyWorker = { name: 'a100-80g', profile: 'a100-80g', vramTotalBytes: 85096284160, vramFreeBytes: 70 * GiB, healthy: true };
const h100down: PolicyWorker = { name: 'h100', profile: 'h100', vramTotalBytes: 85045051392, vramFreeBytes: 80 * GiB, healthy: false };
const failure = { promptId: 'p', nodeId: '11', nodeType: 'KSamplerAdvanced', exceptionType: 'torch.OutOfMemoryError', exceptionMessage: 'Allocation on device', traceback: [], executed: [] };
const oom = new OutOfMemoryError(failure);
const job = { id: 'clip', attempts: 1, maxAttempts: 3 };
const last = { id: 'clip', attempts: 3, maxAttempts: 3 };
const both: PolicyContext = { worker: rtx4090, workers: [rtx4090, a100], random: () => 0.5, backoff: { baseMs: 200, maxMs: 10_000 } };

type Row = [string, unknown, { id: string; attempts: number; maxAttempts: number }, PolicyContext, Partial<Decision>];
const table: Row[] = [
  ['unreachable worker → another worker, backoff', new WorkerUnavailableError('http://a', 'network', 'ECONNREFUSED'), job, both, { action: 'retry', excludeWorker: 'rtx4090', delayMs: 150 }],
  ['5xx (WorkerUnavailable server_error) → another worker', new WorkerUnavailableError('http://a', 'server_error', 'POST /prompt answered 500', { status: 500 }), job, both, { action: 'retry', excludeWorker: 'rtx4090' }],
  ['a 5xx HttpStatusError → another worker', Object.assign(new HttpStatusError('GET', 'http://a/x', 503, ''), { status: 503 }), job, both, { action: 'retry', excludeWorker: 'rtx4090' }],
  ['a 404 → fail now', new HttpStatusError('GET', 'http://a/x', 404, 'nope'), job, both, { action: 'fail' }],
  ['timeout → another worker', new TimeoutError('prompt p', 1000), job, both, { action: 'retry', code: 'COMFY_TIMEOUT', excludeWorker: 'rtx4090' }],
  ['marked down mid-job → another worker', new WorkerDownError('rtx4090', 'no answer'), job, both, { action: 'retry', code: 'DISPATCH_WORKER_DOWN', excludeWorker: 'rtx4090' }],
  ['prompt vanished (worker restarted) → another worker', new PromptVanishedError('p'), job, both, { action: 'retry', excludeWorker: 'rtx4090' }],
  ['backoff grows with attempts', new PromptVanishedError('p'), { id: 'c', attempts: 3, maxAttempts: 5 }, both, { action: 'retry', delayMs: 600 }],
  ['validation → fail now', new PromptValidationError({ type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} }, {}), job, both, { action: 'fail', code: 'COMFY_PROMPT_INVALID', delayMs: 0 }],
  ['preflight problem (missing model) → fail now', { code: 'DISPATCH_PREFLIGHT_FAILED', message: 'missing model x.safetensors (fix: download it)' }, job, both, { action: 'fail' }],
  ['no worker has the nodes → fail now', { code: 'ROUTER_NO_FEASIBLE_WORKER', message: 'no worker can run task' }, job, both, { action: 'fail' }],
  ['bad template params → fail now', { code: 'TEMPLATE_PARAMS_INVALID', message: 'width' }, job, both, { action: 'fail' }],
  ['OOM → the bigger card', oom, job, both, { action: 'retry', excludeWorker: 'rtx4090', targetWorker: 'a100-80g', minVramBytes: rtx4090.vramTotalBytes, delayMs: 0, reason: 'OOM on rtx4090 (24 GB): retried on a100-80g (79 GB)' }],
  ['OOM, bigger card down → lower-memory variant', oom, job, { worker: rtx4090, workers: [rtx4090, h100down], lowerMemory: { id: 'fp8' } }, { action: 'retry', variant: 'fp8', reason: 'OOM on rtx4090 (24 GB): retried with variant fp8' }],
  ['OOM, bigger card excluded → lower-memory variant', oom, job, { ...both, excluded: ['a100-80g'], lowerMemory: { id: 'fp8' } }, { action: 'retry', variant: 'fp8' }],
  ['OOM, nothing bigger, no variant → fail now', oom, job, { worker: rtx4090, workers: [rtx4090] }, { action: 'fail' }],
  ['OOM on the last attempt → fail', oom, last, both, { action: 'fail' }],
  ['preflight: too little VRAM → the bigger card', { code: 'DISPATCH_VRAM_SHORT', message: 'needs 33.6 GB' }, job, both, { action: 'retry', targetWorker: 'a100-80g', reason: 'too little VRAM on rtx4090 (24 GB): retried on a100-80g (79 GB)' }],
  ['interrupted → cancelled', new InterruptedError('p'), job, both, { action: 'cancel', code: 'COMFY_INTERRUPTED' }],
  ['node raised → another worker', new ExecutionError({ ...failure, exceptionType: 'RuntimeError', exceptionMessage: 'boom' }), job, both, { action: 'retry', excludeWorker: 'rtx4090' }],
  ['network error on the last attempt → fail', new WorkerUnavailableError('http://a', 'network', 'ECONNRESET'), last, both, { action: 'fail' }],
  ['unknown error → retry in place', new Error('disk full'), job, both, { action: 'retry', code: 'DISPATCH_UNEXPECTED' }],
  ['an error that crossed a process boundary (plain object) classifies by code', JSON.parse(JSON.stringify(new WorkerUnavailableError('http://a', 'network', 'x'))), job, both, { action: 'retry', excludeWorker: 'rtx4090' }],
];

describe('decide(error, job, context)', () => {
  it.each(table)('%s', (_name, error, j, context, expected) => {
    const decision = decide(error, j, context);
    expect(decision).toMatchObject(expected);
    expect(decision.reason.length).toBeGreaterThan(10);
  });

  it('fails now with the fix in the message', () => {
    const d = decide(new PromptValidationError({ type: 'missing_node_type', message: 'node X does not exist', details: '', extra_info: {} }, {}), job, both);
    expect(d.reason).toContain('install the custom node pack');
  });

  it('an unexpected error does not blame the worker', () => {
    expect(decide(new Error('disk full'), job, both)).not.toHaveProperty('excludeWorker');
  });

  it('is pure: same inputs, same decision', () => {
    expect(decide(oom, job, both)).toEqual(decide(oom, job, both));
  });
});

describe('retryDelay', () => {
  it('keeps half of the exponential delay and jitters the other half, capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, { baseMs: 100, maxMs: 1000 }, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, { baseMs: 100, maxMs: 1000 }, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('lowerMemoryOption', () => {
  it('turns the fp16 Wan experts back into the default fp8', () => {
    const option = lowerMemoryOption(templateById('wan22-i2v-14b'), { precision: 'fp16', width: 1280, height: 720 });
    expect(option).toMatchObject({ id: 'fp8', params: { precision: 'fp8_scaled' } });
    expect(option!.needGb).toBeLessThan(vramNeedGb(templateById('wan22-i2v-14b'), { precision: 'fp16', width: 1280, height: 720 }));
    expect(lowerMemoryOption(templateById('wan22-i2v-14b'), {})).toBeUndefined();
  });

  it('uses a template low-memory variant when it has one', () => {
    expect(lowerMemoryOption(templateById('qwen-image-layered'), {})?.id).toBe('fp8mixed');
  });
});

describe('constraints from the job history (shared by every dispatcher, survive restarts)', () => {
  const attempt = (n: number, owner: string, code: string | null, message = ''): AttemptRecord => ({ attempt: n, worker: owner, startedAt: n, endedAt: n + 1, error: code ? { code, message } : null, note: null });
  const vram = (w: string) => ({ rtx4090: rtx4090.vramTotalBytes, 'a100-80g': a100.vramTotalBytes })[w];

  it('excludes workers that failed, needs more VRAM after an OOM, keeps a chosen variant', () => {
    expect(constraintsFromHistory([attempt(1, 'gpu-a@d1', 'COMFY_WORKER_UNAVAILABLE'), attempt(2, 'gpu-b@d2', 'LEASE_EXPIRED')], workerOfOwner, vram)).toEqual({ excluded: ['gpu-a'], minVramBytes: 0 });
    expect(constraintsFromHistory([attempt(1, 'rtx4090@d', 'COMFY_OUT_OF_MEMORY', 'OOM on rtx4090 (24 GB): retried on a100-80g (79 GB)')], workerOfOwner, vram)).toEqual({ excluded: ['rtx4090'], minVramBytes: rtx4090.vramTotalBytes });
    expect(constraintsFromHistory([attempt(1, 'rtx4090@d', 'COMFY_OUT_OF_MEMORY', 'OOM on rtx4090 (24 GB): retried with variant fp8')], workerOfOwner, vram)).toEqual({ excluded: [], minVramBytes: 0, variant: 'fp8' });
    expect(constraintsFromHistory([attempt(1, '@d', 'DISPATCH_INVALID_PAYLOAD')], workerOfOwner, vram)).toEqual({ excluded: [], minVramBytes: 0 });
  });

  it('a job out of attempts reads every attempt in one message', () => {
    const history = [attempt(1, 'gpu-a@d', 'COMFY_WORKER_UNAVAILABLE', 'worker gpu-a failed: refused'), attempt(2, 'gpu-b@d', 'COMFY_PROMPT_VANISHED', 'worker gpu-b failed: vanished')];
    expect(combinedFailure(history, history[1]!.error!).message).toBe('failed after 2 attempts: #1 on gpu-a@d: [COMFY_WORKER_UNAVAILABLE] worker gpu-a failed: refused; #2 on gpu-b@d: [COMFY_PROMPT_VANISHED] worker gpu-b failed: vanished');
  });
});
