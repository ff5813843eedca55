import { describe, expect, it } from 'vitest';
import { loadTranscript, type TranscriptHttp, type TranscriptWsText } from '../../../test/support/comfy-transcripts.js';
import { promptErrorBodySchema } from '../protocol/prompt-errors.js';
import {
  ExecutionError,
  HttpStatusError,
  InterruptedError,
  OutOfMemoryError,
  PromptValidationError,
  PromptVanishedError,
  ProtocolError,
  TimeoutError,
  WorkerUnavailableError,
  executionErrorFrom,
  isComfyError,
  isExecutionError,
  isHttpStatusError,
  isInterruptedError,
  isOutOfMemoryError,
  isPromptValidationError,
  isPromptVanishedError,
  isProtocolError,
  isTimeoutError,
  isWorkerUnavailableError,
} from './index.js';
import { StoryCoreError } from '../../errors/storycore-error.js';

const failure = {
  promptId: 'p',
  nodeId: '7',
  nodeType: 'KSampler',
  exceptionType: 'RuntimeError',
  exceptionMessage: 'boom\n',
  traceback: ['  File "x.py", line 1\n'],
  executed: ['1'],
};

describe('error classes', () => {
  it('every class extends StoryCoreError, has a stable code and a hint, and survives JSON round-trips for the guards', () => {
    const cases: Array<[Error, (v: unknown) => boolean, string]> = [
      [new PromptValidationError({ type: 't', message: 'm', details: '', extra_info: {} }, {}), isPromptValidationError, 'COMFY_PROMPT_INVALID'],
      [new ExecutionError(failure), isExecutionError, 'COMFY_EXECUTION_FAILED'],
      [new OutOfMemoryError(failure), isOutOfMemoryError, 'COMFY_OUT_OF_MEMORY'],
      [new InterruptedError('p'), isInterruptedError, 'COMFY_INTERRUPTED'],
      [new PromptVanishedError('p'), isPromptVanishedError, 'COMFY_PROMPT_VANISHED'],
      [new WorkerUnavailableError('http://w', 'network', 'ECONNREFUSED'), isWorkerUnavailableError, 'COMFY_WORKER_UNAVAILABLE'],
      [new HttpStatusError('GET', 'http://w/api/x', 404, ''), isHttpStatusError, 'COMFY_HTTP_STATUS'],
      [new ProtocolError('x', 'y', { field: 'a.b' }), isProtocolError, 'COMFY_PROTOCOL'],
      [new TimeoutError('wait', 5), isTimeoutError, 'COMFY_TIMEOUT'],
    ];
    for (const [error, guard, code] of cases) {
      expect(error).toBeInstanceOf(StoryCoreError);
      expect((error as StoryCoreError).code).toBe(code);
      expect((error as StoryCoreError).hint).toBeTruthy();
      expect(guard(error)).toBe(true);
      expect(guard(JSON.parse(JSON.stringify(error)))).toBe(true);
      expect(isComfyError(JSON.parse(JSON.stringify(error)))).toBe(true);
    }
    expect(isExecutionError(new OutOfMemoryError(failure))).toBe(true);
    expect(isOutOfMemoryError(new ExecutionError(failure))).toBe(false);
    expect(isWorkerUnavailableError({ code: 'COMFY_PROTOCOL' })).toBe(false);
  });

  it('detects OOM from the exception type or the tip text only', () => {
    expect(executionErrorFrom({ ...failure, exceptionType: 'torch.OutOfMemoryError' })).toBeInstanceOf(OutOfMemoryError);
    expect(executionErrorFrom({ ...failure, exceptionType: 'torch.cuda.OutOfMemoryError' })).toBeInstanceOf(OutOfMemoryError);
    const tip = 'x\nThis error means you ran out of memory on your GPU.\n\nTIPS: ...';
    expect(executionErrorFrom({ ...failure, exceptionType: 'RuntimeError', exceptionMessage: tip })).toBeInstanceOf(OutOfMemoryError);
    const plain = executionErrorFrom(failure);
    expect(plain).not.toBeInstanceOf(OutOfMemoryError);
    expect(plain.message).toBe('node 7 (KSampler) failed: RuntimeError: boom');
  });

  it('builds an ExecutionError from the real execution_error of transcript 06', () => {
    const frame = loadTranscript('06').events.find((e) => e.kind === 'ws_recv' && 'text' in e && e.text.includes('execution_error')) as TranscriptWsText;
    const d = (frame.json as { data: { prompt_id: string; node_id: string; node_type: string; exception_type: string; exception_message: string; traceback: string[]; executed: string[] } }).data;
    const err = executionErrorFrom({
      promptId: d.prompt_id,
      nodeId: d.node_id,
      nodeType: d.node_type,
      exceptionType: d.exception_type,
      exceptionMessage: d.exception_message,
      traceback: d.traceback,
      executed: d.executed,
    });
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^node \d+ \(ImageBlur\) failed: RuntimeError: /);
    expect(err.renderTraceback()).toContain('execution.py');
  });

  it('a combo value not in list says to install a model only for a model input', () => {
    const reject = (classType: string, inputName: string) =>
      new PromptValidationError(
        { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
        { '4': { class_type: classType, dependent_outputs: ['9'], errors: [{ type: 'value_not_in_list', message: 'Value not in list', details: `${inputName}: 'x' not in []`, extra_info: { input_name: inputName } }] } },
      );
    expect(reject('CheckpointLoaderSimple', 'ckpt_name').hint).toBe('install the missing model on the worker (models/checkpoints/) or pick one it has (GET /models/checkpoints)');
    const sampler = reject('KSampler', 'sampler_name').hint;
    expect(sampler).not.toMatch(/install|model/);
    expect(sampler).toContain('set node 4 sampler_name to one of the values the worker lists');
  });

  it('renders every 400 body of transcript 05 as one line per problem', () => {
    const bodies = (loadTranscript('05').events as TranscriptHttp[]).filter((e) => e.kind === 'http' && e.response.status === 400);
    expect(bodies.length).toBeGreaterThanOrEqual(12);
    for (const e of bodies) {
      const body = promptErrorBodySchema.parse(e.response.json);
      const err = new PromptValidationError(body.error, body.node_errors);
      const lines = err.render().split('\n');
      const problems = Object.values(body.node_errors).reduce((n, ne) => n + ne.errors.length, 0);
      expect(lines).toHaveLength(1 + Math.max(1, problems));
      expect(err.message.includes('\n')).toBe(false);
      for (const [id, ne] of Object.entries(body.node_errors)) expect(err.render()).toContain(`node ${id} (${ne.class_type})`);
    }
    const unknown = bodies.find((e) => e.label === 'unknown class_type')!;
    const b = promptErrorBodySchema.parse(unknown.response.json);
    const err = new PromptValidationError(b.error, b.node_errors);
    expect(err.render()).toBe(
      "Cannot execute because node NoSuchNode does not exist. [invalid_prompt]\n  - Cannot execute because node NoSuchNode does not exist.: Node ID '#1' [invalid_prompt]",
    );
    expect(err.hint).toContain('custom node');
  });
});
