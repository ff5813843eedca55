import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../object-info/load.js';
import { ValidationCrashError } from './errors/validation-crash-error.js';
import { validatePromptRequest } from './prompt-request.js';
import { validatePrompt } from './validate-prompt.js';

const info = defaultObjectInfo();

function emptyImageToSave(inputs: Record<string, unknown>): Record<string, unknown> {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 0, ...inputs } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
  };
}

function failure(prompt: unknown, options = {}) {
  const outcome = validatePrompt(prompt, info, options);
  if (outcome.ok) throw new Error('expected a failure');
  return outcome;
}

describe('coercion', () => {
  it('writes INT/FLOAT/STRING/BOOLEAN conversions into the returned copy only', () => {
    const prompt = {
      '1': { class_type: 'EmptyImage', inputs: { width: '12', height: 5.7, batch_size: true, color: 0 } },
      '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 1, sigma: '0.5' } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 7 } },
    };
    const outcome = validatePrompt(prompt, info);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.prompt['1']!.inputs).toEqual({ width: 12, height: 5, batch_size: 1, color: 0 });
    expect(outcome.prompt['2']!.inputs.sigma).toBe(0.5);
    expect(outcome.prompt['3']!.inputs.filename_prefix).toBe('7');
    expect(prompt['1'].inputs.width).toBe('12');
    expect(outcome.outputs).toEqual(['3']);
  });

  it('rejects "5.0" for an INT with Python\'s message', () => {
    const { nodeErrors } = failure(emptyImageToSave({ width: '5.0' }));
    expect(nodeErrors['1']!.errors[0]).toMatchObject({
      type: 'invalid_input_type',
      message: 'Failed to convert an input value to a INT value',
      details: "width, 5.0, invalid literal for int() with base 10: '5.0'",
      extra_info: { received_value: '5.0', exception_message: "invalid literal for int() with base 10: '5.0'" },
    });
  });

  it('unwraps {"__value__": ...}', () => {
    const outcome = validatePrompt(emptyImageToSave({ width: { __value__: 32 } }), info);
    expect(outcome.ok && outcome.prompt['1']!.inputs.width).toBe(32);
  });

  it('prints float bounds and values like Python', () => {
    const base = { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } };
    const blur = (sigma: unknown) => ({
      ...base,
      '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 1, sigma } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } },
    });
    expect(failure(blur(0.05)).nodeErrors['2']!.errors[0]!.message).toBe('Value 0.05 smaller than min of 0.1');
    expect(failure(blur(20)).nodeErrors['2']!.errors[0]!.message).toBe('Value 20.0 bigger than max of 10.0');
  });
});

describe('combos', () => {
  const selectSampler = (name: string) => ({
    '1': { class_type: 'KSamplerSelect', inputs: { sampler_name: name } },
    '2': { class_type: 'PreviewAny', inputs: { source: ['1', 0] } },
  });

  it('gives the length instead of the list when it has more than 20 entries', () => {
    const { nodeErrors } = failure(selectSampler('nope'));
    const error = nodeErrors['1']!.errors[0]!;
    const length = (info.KSamplerSelect!.input.required!.sampler_name![0] as unknown[]).length;
    expect(error.details).toBe(`sampler_name: 'nope' not in (list of length ${length})`);
    expect(error.extra_info.input_config).toBeNull();
  });

  it('does not check V3 "COMBO" inputs (0.3.64)', () => {
    const prompt = {
      '1': { class_type: 'SamplerEulerCFGpp', inputs: { version: 'bogus' } },
      '2': { class_type: 'PreviewAny', inputs: { source: ['1', 0] } },
    };
    expect(validatePrompt(prompt, info).ok).toBe(true);
  });

  it('lets LoadImage check its own file, with or without a file oracle', () => {
    const load = (image: string) => ({
      '1': { class_type: 'LoadImage', inputs: { image } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
    });
    expect(validatePrompt(load('example.png'), info).ok).toBe(true);
    expect(failure(load('x.png')).nodeErrors['1']!.errors[0]!.details).toBe('image - Invalid image file: x.png');
    expect(validatePrompt(load('sub/x.png'), info, { inputFileExists: () => true }).ok).toBe(true);
  });
});

describe('graph structure', () => {
  it('reports an exception inside a linked node on that node, and nothing on the output', () => {
    const prompt = {
      '1': { class_type: 'ImageInvert', inputs: { image: ['99', 0] } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
    };
    const outcome = failure(prompt);
    expect(outcome.error.details).toBe('');
    expect(Object.keys(outcome.nodeErrors)).toEqual(['1']);
    const reason = outcome.nodeErrors['1']!.errors[0]!;
    expect(reason).toMatchObject({
      type: 'exception_during_inner_validation',
      message: 'Exception when validating inner node',
      details: "'99'",
      extra_info: { input_name: 'images', exception_type: 'KeyError', linked_node: ['1', 0] },
    });
    expect((reason.extra_info.traceback as string[])[0]).toContain('line 808, in validate_inputs');
  });

  it('raises from LoadImage.VALIDATE_INPUTS when its image is missing (the missing-input error is lost)', () => {
    const prompt = {
      '1': { class_type: 'LoadImage', inputs: {} },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
    };
    const reason = failure(prompt).nodeErrors['1']!.errors;
    expect(reason).toHaveLength(1);
    expect(reason[0]!.details).toBe("LoadImage.VALIDATE_INPUTS() missing 1 required positional argument: 'image'");
  });

  it('ends a static cycle with no reasons anywhere', () => {
    const prompt = {
      '1': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } },
    };
    const outcome = failure(prompt);
    expect(outcome.error).toEqual({ type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} });
    expect(outcome.nodeErrors).toEqual({});
  });

  it('appends every later failing output to earlier node errors, as ComfyUI does', () => {
    const prompt = {
      '1': { class_type: 'EmptyImage', inputs: { width: 0, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
      '3': { class_type: 'SaveImage', inputs: { filename_prefix: 'x' } },
    };
    const outcome = failure(prompt);
    expect(outcome.nodeErrors['1']!.dependent_outputs).toEqual(['2', '3']);
    expect(outcome.nodeErrors['3']!.dependent_outputs).toEqual(['3']);
    expect(outcome.error.details).toBe('Required input is missing: images');
  });

  it('accepts a prompt when one output survives, reporting the other', () => {
    const prompt = { ...emptyImageToSave({}), '3': { class_type: 'SaveImage', inputs: { images: ['1', 1], filename_prefix: 'x' } } };
    const outcome = validatePrompt(prompt, info);
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.outputs).toEqual(['2']);
    expect(outcome.nodeErrors['3']!.errors[0]!.details).toBe('tuple index out of range');
  });

  it('says "list index out of range" for V3 sources', () => {
    const prompt = {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 1, sigma: 1 } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 3], filename_prefix: 'x' } },
    };
    expect(failure(prompt).nodeErrors['3']!.errors[0]!.details).toBe('list index out of range');
  });

  it('honours partial_execution_targets', () => {
    const prompt = { ...emptyImageToSave({}), '3': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } };
    expect(failure(prompt, { partialExecutionTargets: [] }).error.type).toBe('prompt_no_outputs');
    const outcome = validatePrompt(prompt, info, { partialExecutionTargets: ['3'] });
    expect(outcome.ok && outcome.outputs).toEqual(['3']);
  });

  it('throws ValidationCrashError where ComfyUI crashes', () => {
    expect(() => validatePrompt({ '1': 5 }, info)).toThrow(ValidationCrashError);
    expect(() => validatePrompt({ '1': 'has class_type inside' }, info)).toThrow(ValidationCrashError);
    expect(failure({ '1': 'no key here' }).error.type).toBe('invalid_prompt');
    expect(failure({ '1': { class_type: 5 } }).error.message).toBe('Cannot execute because node 5 does not exist.');
  });
});

describe('validatePromptRequest', () => {
  it('maps request-level cases to statuses', () => {
    expect(validatePromptRequest(5, info).status).toBe(500);
    expect(validatePromptRequest(null, info)).toMatchObject({ status: 500, consumesNumber: false });
    expect(validatePromptRequest([], info)).toMatchObject({ status: 400, consumesNumber: true });
    expect(validatePromptRequest({ prompt: 'x' }, info).status).toBe(500);
    expect(validatePromptRequest({ prompt: '' }, info)).toMatchObject({ status: 400, body: { error: { type: 'prompt_no_outputs' } } });
    expect(validatePromptRequest({ prompt: {}, number: 'x' }, info)).toMatchObject({ status: 500, consumesNumber: false });
  });

  it('returns what the server needs to queue an accepted prompt', () => {
    const outcome = validatePromptRequest(
      { prompt: emptyImageToSave({}), prompt_id: null, number: '7', client_id: 'c', extra_data: { extra_pnginfo: {} } },
      info,
    );
    expect(outcome).toMatchObject({
      status: 200,
      promptId: 'None',
      placement: { kind: 'explicit', number: 7 },
      extraData: { extra_pnginfo: {}, client_id: 'c' },
      outputs: ['2'],
      consumesNumber: false,
    });
    expect(validatePromptRequest({ prompt: emptyImageToSave({}), front: 1 }, info)).toMatchObject({
      placement: { kind: 'counter', front: true },
      consumesNumber: true,
    });
  });

  it('crashes after validation when client_id cannot be stored into extra_data', () => {
    expect(validatePromptRequest({ prompt: emptyImageToSave({ width: 0 }), extra_data: 'x', client_id: 'c' }, info).status).toBe(500);
  });
});
