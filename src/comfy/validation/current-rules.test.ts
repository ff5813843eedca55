import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extendedObjectInfo } from '../object-info/extra-nodes.js';
import { defaultObjectInfo } from '../object-info/load.js';
import { applyModelLists } from '../object-info/model-lists.js';
import type { ApiGraph } from '../graph.js';
import { validatePromptRequest } from './prompt-request.js';
import { currentTypesMatch } from './protocol-rules.js';
import { validatePrompt } from './validate-prompt.js';

const wan = JSON.parse(readFileSync(new URL('../../../test/fixtures/api-graphs/wan22-14b-i2v-switches.json', import.meta.url), 'utf8')) as { graph: ApiGraph };
const models = {
  diffusion_models: ['wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors'],
  loras: ['wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors', 'wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors'],
  text_encoders: ['umt5_xxl_fp8_e4m3fn_scaled.safetensors'],
  vae: ['wan_2.1_vae.safetensors'],
};
const current = applyModelLists(extendedObjectInfo(), models);
const errorCount = (outcome: ReturnType<typeof validatePrompt>) => Object.values(outcome.nodeErrors).reduce((n, e) => n + e.errors.length, 0);

describe('official Wan 2.2 14B i2v template (switches kept) under the current node set', () => {
  it('validates with 0 errors under current rules (the default for a node set with MatchType sockets)', () => {
    const outcome = validatePrompt(wan.graph, current, { inputFileExists: () => true });
    expect(outcome.nodeErrors).toEqual({});
    expect(outcome.ok).toBe(true);
    expect(validatePrompt(wan.graph, current, { inputFileExists: () => true, protocol: 'current' }).ok).toBe(true);
  });

  it('still gets the 9 MatchType link errors when 0.3.64 rules are asked for (what a 0.3.64 server says)', () => {
    const outcome = validatePrompt(wan.graph, current, { inputFileExists: () => true, protocol: '0.3.64' });
    expect(errorCount(outcome)).toBe(9);
    const reasons = Object.values(outcome.nodeErrors).flatMap((e) => e.errors);
    expect(new Set(reasons.map((r) => r.type))).toEqual(new Set(['return_type_mismatch']));
    expect(reasons.every((r) => String(r.details).includes('received_type(COMFY_MATCHTYPE_V3)'))).toBe(true);
  });

  it('defaults to 0.3.64 rules for the recorded 0.3.64 node set', () => {
    const info = defaultObjectInfo();
    const prompt = {
      '1': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
      '2': { class_type: 'PreviewAny', inputs: { source: ['1', 0] } },
    };
    expect(validatePrompt(prompt, info).ok).toBe(true);
  });
});

describe('current link rules (validate_node_input)', () => {
  it('accepts MatchType on either side, * inside a set and a list into COMBO; rejects disjoint sets', () => {
    expect(currentTypesMatch('COMFY_MATCHTYPE_V3', 'INT')).toBe(true);
    expect(currentTypesMatch('MODEL', 'COMFY_MATCHTYPE_V3')).toBe(true);
    expect(currentTypesMatch('INT,*', 'STRING')).toBe(true);
    expect(currentTypesMatch(['a', 'b'], 'COMBO')).toBe(true);
    expect(currentTypesMatch('FLOAT,INT', 'INT,BOOLEAN')).toBe(true);
    expect(currentTypesMatch('FLOAT', 'INT')).toBe(false);
    expect(currentTypesMatch(['a'], 'STRING')).toBe(false);
  });
});

describe('other V3 inputs under current rules', () => {
  it('Autogrow: `values.a`/`values.b` links are accepted and type-checked against the template', () => {
    const math = (b: unknown) => ({
      '1': { class_type: 'PrimitiveInt', inputs: { value: 2 } },
      '4': { class_type: 'PrimitiveString', inputs: { value: 'two' } },
      '2': { class_type: 'ComfyMathExpression', inputs: { expression: 'a + b', 'values.a': ['1', 0], 'values.b': b } },
      '3': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } },
    });
    expect(validatePrompt(math(['1', 0]), current).nodeErrors).toEqual({});
    const bad = validatePrompt(math(['4', 0]), current);
    expect(bad.nodeErrors['2']!.errors).toEqual([
      expect.objectContaining({ type: 'return_type_mismatch', details: 'values.b, received_type(STRING) mismatch input_type(FLOAT,INT,BOOLEAN)' }),
    ]);
  });

  it('checks V3 COMBO options (0.3.64 did not)', () => {
    const prompt = {
      '1': { class_type: 'LatentCutToBatch', inputs: { samples: ['2', 0], dim: 'w', slice_size: 1 } },
      '2': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
      '3': { class_type: 'SaveLatent', inputs: { samples: ['1', 0], filename_prefix: 'x' } },
    };
    const outcome = validatePrompt(prompt, current, { protocol: 'current' });
    expect(outcome.nodeErrors['1']!.errors[0]).toMatchObject({ type: 'value_not_in_list', details: "dim: 'w' not in ['t', 'x', 'y']" });
    expect(validatePrompt(prompt, current, { protocol: '0.3.64' }).ok).toBe(true);
  });
});

describe('POST /prompt prompt_id under current rules', () => {
  const body = (promptId: unknown) => ({
    prompt: { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } },
    prompt_id: promptId,
  });
  it('refuses a prompt_id that is not a canonical UUID (400 invalid_prompt_id); 0.3.64 takes any string', () => {
    const refused = validatePromptRequest(body('job-1'), defaultObjectInfo(), { protocol: 'current' });
    expect(refused.status).toBe(400);
    expect(refused.status === 400 && (refused.body as { error: { type: string } }).error.type).toBe('invalid_prompt_id');
    expect(validatePromptRequest(body('0F0E0D0C-0000-4000-8000-000000000000'), defaultObjectInfo(), { protocol: 'current' }).status).toBe(400);
    expect(validatePromptRequest(body('job-1'), defaultObjectInfo(), { protocol: '0.3.64' }).status).toBe(200);
    const ok = validatePromptRequest(body('0f0e0d0c-0000-4000-8000-000000000000'), defaultObjectInfo(), { protocol: 'current' });
    expect(ok.status === 200 && ok.promptId).toBe('0f0e0d0c-0000-4000-8000-000000000000');
  });
});
