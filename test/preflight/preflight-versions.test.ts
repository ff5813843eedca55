import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preflight } from '../../src/catalog/preflight/preflight.js';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { applyModelLists } from '../../src/comfy/object-info/model-lists.js';

const wan = JSON.parse(readFileSync(new URL('../fixtures/api-graphs/wan22-14b-i2v-switches.json', import.meta.url), 'utf8')) as { graph: ApiGraph };
const models = {
  diffusion_models: ['wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors'],
  loras: ['wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors', 'wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors'],
  text_encoders: ['umt5_xxl_fp8_e4m3fn_scaled.safetensors'],
  vae: ['wan_2.1_vae.safetensors'],
};
const inventory = (comfyuiVersion?: string) => ({
  name: 'w',
  url: 'http://w',
  objectInfo: applyModelLists(extendedObjectInfo(), models),
  models,
  ...(comfyuiVersion ? { comfyuiVersion } : {}),
});

describe('preflight validates with the rules of the version the worker reports', () => {
  it('Wan 2.2 14B i2v with its switches: no validation problem on a current worker (or an unknown one with this node set)', () => {
    for (const version of ['0.38.1', undefined]) {
      const report = preflight(wan.graph, inventory(version));
      expect(report.problems.filter((p) => p.kind === 'validation')).toEqual([]);
    }
  });

  it('a worker reporting 0.3.64 gets the 9 MatchType link problems that version would answer', () => {
    const report = preflight(wan.graph, inventory('0.3.64'));
    const validation = report.problems.filter((p) => p.kind === 'validation');
    expect(validation).toHaveLength(9);
    expect(validation.every((p) => /COMFY_MATCHTYPE_V3/.test(p.message))).toBe(true);
  });
});
