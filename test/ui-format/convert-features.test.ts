import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import type { ObjectInfo } from '../../src/comfy/object-info/types.js';
import { convertUiToApi, convertWorkflowFile, detectWorkflowFormat, InvalidWorkflowError, UnknownNodeClassError, widgetSlots } from '../../src/comfy/ui-format/index.js';

/** Small editor workflows exercising what the recorded pairs do not (schema 1, V3 combos, …). */
const oi = defaultObjectInfo();

const ckpt = { id: 4, type: 'CheckpointLoaderSimple', mode: 0, inputs: [], outputs: [{ name: 'MODEL', type: 'MODEL', links: [1] }, { name: 'CLIP', type: 'CLIP', links: [2] }, { name: 'VAE', type: 'VAE', links: [] }], widgets_values: ['sd15.safetensors'] };
const encode = { id: 6, type: 'CLIPTextEncode', mode: 0, inputs: [{ name: 'clip', type: 'CLIP', link: 2 }], outputs: [{ name: 'CONDITIONING', type: 'CONDITIONING', links: [] }], widgets_values: ['a cat'] };

describe('widget lists', () => {
  it('puts control_after_generate after seeds and upload after LoadImage', () => {
    expect(widgetSlots(oi.KSampler!).map((s) => s.name)).toEqual(['seed', 'control_after_generate', 'steps', 'cfg', 'sampler_name', 'scheduler', 'denoise']);
    expect(widgetSlots(oi.LoadImage!).map((s) => [s.name, s.serialize])).toEqual([['image', true], ['upload', false]]);
  });

  it('gives a combo with control_after_generate two extra slots, and V3 COMBO counts as a widget', () => {
    const info: ObjectInfo = {
      Pick: { ...oi.PrimitiveInt!, name: 'Pick', input: { required: { choice: [['a', 'b', 'c'], { control_after_generate: true }], mode: ['COMBO', { options: ['x', 'y'] }], n: ['INT', { default: 3, forceInput: true }] } }, input_order: { required: ['choice', 'mode', 'n'] } },
    };
    expect(widgetSlots(info.Pick!).map((s) => s.name)).toEqual(['choice', 'control_after_generate', 'control_filter_list', 'mode']);
  });
});

describe('convertUiToApi', () => {
  it('reads schema-1 link objects and ignores native reroutes (parentId)', () => {
    const wf = { version: 1, state: {}, nodes: [ckpt, encode], links: [{ id: 2, origin_id: 4, origin_slot: 1, target_id: 6, target_slot: 0, type: 'CLIP', parentId: 7 }], reroutes: [{ id: 7, pos: [0, 0], linkIds: [2] }] };
    const { prompt } = convertUiToApi(wf, oi);
    expect(prompt['6']).toEqual({ class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] }, _meta: { title: 'CLIP Text Encode (Prompt)' } });
  });

  it('follows Reroute chains, takes PrimitiveNode values, and skips notes', () => {
    const wf = {
      nodes: [
        ckpt,
        { id: 10, type: 'Reroute', mode: 0, inputs: [{ name: '', type: '*', link: 2 }], outputs: [{ name: '', type: 'CLIP', links: [3] }] },
        { id: 11, type: 'Reroute', mode: 0, inputs: [{ name: '', type: '*', link: 3 }], outputs: [{ name: '', type: 'CLIP', links: [4] }] },
        { id: 12, type: 'PrimitiveNode', mode: 0, outputs: [{ name: 'STRING', type: 'STRING', links: [5], widget: { name: 'text' } }], widgets_values: ['from primitive'] },
        { ...encode, inputs: [{ name: 'clip', type: 'CLIP', link: 4 }, { name: 'text', type: 'STRING', link: 5, widget: { name: 'text' } }], widgets_values: ['stale'] },
        { id: 13, type: 'Note', mode: 0, widgets_values: ['hello'] },
      ],
      links: [[2, 4, 1, 10, 0, 'CLIP'], [3, 10, 0, 11, 0, 'CLIP'], [4, 11, 0, 6, 0, 'CLIP'], [5, 12, 0, 6, 1, 'STRING']],
    };
    const { prompt } = convertUiToApi(wf, oi, { omitMeta: true });
    expect(Object.keys(prompt).sort()).toEqual(['4', '6']);
    expect(prompt['6']?.inputs).toEqual({ text: 'from primitive', clip: ['4', 1] });
  });

  it('passes through a bypassed node by matching input type, and drops links to muted nodes', () => {
    const lora = { id: 5, type: 'LoraLoaderModelOnly', mode: 4, inputs: [{ name: 'model', type: 'MODEL', link: 1 }], outputs: [{ name: 'MODEL', type: 'MODEL', links: [6] }], widgets_values: ['x.safetensors', 1] };
    const shift = { id: 7, type: 'ModelSamplingDiscrete', mode: 0, inputs: [{ name: 'model', type: 'MODEL', link: 6 }], outputs: [{ name: 'MODEL', type: 'MODEL', links: [] }], widgets_values: ['eps', false] };
    const muted = { ...ckpt, id: 8, mode: 2, outputs: [{ name: 'MODEL', type: 'MODEL', links: [9] }] };
    const shift2 = { ...shift, id: 9, inputs: [{ name: 'model', type: 'MODEL', link: 9 }] };
    const wf = { nodes: [ckpt, lora, shift, muted, shift2], links: [[1, 4, 0, 5, 0, 'MODEL'], [6, 5, 0, 7, 0, 'MODEL'], [9, 8, 0, 9, 0, 'MODEL']] };
    const { prompt, warnings } = convertUiToApi(wf, oi, { omitMeta: true });
    expect(prompt['7']?.inputs.model).toEqual(['4', 0]);
    expect(prompt['5']).toBeUndefined();
    expect(prompt['9']?.inputs).toEqual({ sampling: 'eps', zsnr: false });
    expect(warnings.some((w) => w.includes("node 9 (ModelSamplingDiscrete) input 'model' came from node 8"))).toBe(true);
  });

  it('reads object-form widgets_values by name and wraps array values', () => {
    const info: ObjectInfo = { ...oi, Lists: { ...oi.PrimitiveInt!, name: 'Lists', input: { required: { values: ['STRING', {}], flag: ['BOOLEAN', { default: true }] } }, input_order: { required: ['values', 'flag'] } } };
    const wf = { nodes: [{ id: 1, type: 'Lists', mode: 0, widgets_values: { values: ['a', 'b'], extra: 1 } }], links: [] };
    const { prompt, warnings, filledDefaults } = convertUiToApi(wf, info, { omitMeta: true });
    expect(prompt['1']?.inputs).toEqual({ values: { __value__: ['a', 'b'] }, flag: true });
    expect(filledDefaults).toEqual([{ node: '1', input: 'flag', value: true }]);
    expect(warnings.join()).toContain('extra');
  });

  it('names every unknown class with its node id and the fix', () => {
    const wf = { nodes: [ckpt, { id: 20, type: 'VHS_VideoCombine', mode: 0, widgets_values: {} }, { id: 21, type: 'OtherPack', mode: 2 }], links: [] };
    expect(() => convertUiToApi(wf, oi)).toThrow(UnknownNodeClassError);
    try {
      convertUiToApi(wf, oi);
    } catch (error) {
      expect((error as UnknownNodeClassError).nodes).toEqual([{ id: '20', type: 'VHS_VideoCombine' }]);
      expect((error as UnknownNodeClassError).toOneLine()).toContain('install the custom node pack or pass --object-info from a worker that has it');
    }
  });

  it('keeps only the requested outputs and their ancestors', () => {
    const save = { id: 9, type: 'SaveImage', mode: 0, inputs: [{ name: 'images', type: 'IMAGE', link: null }], widgets_values: ['x'] };
    const { prompt } = convertUiToApi({ nodes: [ckpt, encode, save], links: [[2, 4, 1, 6, 0, 'CLIP']] }, oi, { outputNodeIds: ['6'] });
    expect(Object.keys(prompt).sort()).toEqual(['4', '6']);
  });

  it('refuses something that is not a workflow', () => {
    expect(() => convertUiToApi({ nodes: 'no' }, oi)).toThrow(InvalidWorkflowError);
  });
});

describe('detectWorkflowFormat and convertWorkflowFile', () => {
  it('tells the formats apart with reasons', () => {
    expect(detectWorkflowFormat({ nodes: [], links: [], version: 0.4 }).format).toBe('ui');
    expect(detectWorkflowFormat({ '3': { class_type: 'KSampler', inputs: {} } }).format).toBe('api');
    expect(detectWorkflowFormat({ prompt: { '3': { class_type: 'KSampler', inputs: {} } }, client_id: 'x' }).format).toBe('api');
    const unknown = detectWorkflowFormat({ a: 1 });
    expect(unknown.format).toBe('unknown');
    expect(unknown.reasons[0]).toContain('lack class_type');
  });

  it('converts a UI file and passes an API file through', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convert-'));
    writeFileSync(join(dir, 'ui.json'), JSON.stringify({ nodes: [ckpt, encode], links: [[2, 4, 1, 6, 0, 'CLIP']] }));
    writeFileSync(join(dir, 'api.json'), JSON.stringify({ prompt: { '1': { class_type: 'KSampler', inputs: {} } } }));
    const ui = convertWorkflowFile(join(dir, 'ui.json'));
    expect(ui.format).toBe('ui');
    expect(ui.prompt['6']?.inputs.clip).toEqual(['4', 1]);
    const api = convertWorkflowFile(join(dir, 'api.json'));
    expect(api).toEqual({ format: 'api', warnings: [], prompt: { '1': { class_type: 'KSampler', inputs: {} } } });
  });
});
