import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../../comfy/object-info/load.js';
import { extendedObjectInfo } from '../../comfy/object-info/extra-nodes.js';
import {
  buildUserTemplate,
  importUserTemplate,
  InvalidParamPathError,
  InvalidUserTemplateError,
  listUserTemplates,
  loadUserTemplate,
  saveUserTemplate,
  UserTemplateNotFoundError,
} from './index.js';

const fixture = (rel: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures', rel), 'utf8'));
const apiGraph = {
  '3': { class_type: 'KSampler', inputs: { seed: 42, steps: 20, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] } },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'x', images: ['8', 0] } },
};

describe('importUserTemplate', () => {
  it('types params from the node definitions and lists requirements', () => {
    const t = importUserTemplate(apiGraph, { name: 'basic', params: { prompt: '6.inputs.text', seed: '3.inputs.seed', sampler: '3.inputs.sampler_name' }, objectInfo: defaultObjectInfo() });
    expect(t.id).toBe('user:basic');
    expect(t.source.format).toBe('api');
    expect(t.params.prompt).toEqual({ path: '6.inputs.text', type: 'STRING', default: 'a cat' });
    expect(t.params.seed).toMatchObject({ type: 'INT', default: 42, min: 0 });
    expect(t.params.sampler?.type).toBe('COMBO');
    expect(t.params.sampler?.options).toContain('euler');
    expect(t.requirements.nodeClasses).toEqual(['CLIPTextEncode', 'CheckpointLoaderSimple', 'EmptyLatentImage', 'KSampler', 'SaveImage']);
    expect(t.requirements.models).toEqual([{ nodeId: '4', input: 'ckpt_name', folder: 'checkpoints', file: 'sd15.safetensors' }]);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('converts an editor workflow first (subgraph template)', () => {
    const t = importUserTemplate(fixture('ui-templates/image_qwen_image_layered.json'), { name: 'layers', params: { seed: '83:3.inputs.seed', layers: '83:83.inputs.layers' }, objectInfo: extendedObjectInfo() });
    expect(t.source.format).toBe('ui');
    expect(t.params.layers).toMatchObject({ type: 'INT', default: 2 });
    expect(t.requirements.models.map((m) => m.folder).sort()).toEqual(['diffusion_models', 'text_encoders', 'vae']);
  });

  it('explains a bad path', () => {
    const call = (path: string) => () => importUserTemplate(apiGraph, { name: 'x', params: { seed: path }, objectInfo: defaultObjectInfo() });
    expect(call('5.inputs.seed')).toThrow(/param seed → 5\.inputs\.seed: node 5 has no input 'seed'; its inputs are width, height, batch_size/);
    expect(call('99.inputs.seed')).toThrow(/there is no node 99/);
    expect(call('3.inputs.model')).toThrow(/MODEL connection, not a value/);
    expect(call('6.inputs.clip')).toThrow(InvalidParamPathError);
    expect(call('seed')).toThrow(/not of the form/);
  });
});

describe('buildUserTemplate', () => {
  const t = importUserTemplate(apiGraph, { name: 'basic', params: { prompt: '6.inputs.text', seed: '3.inputs.seed' }, objectInfo: defaultObjectInfo() });

  it('sets values into a copy and keeps defaults', () => {
    const graph = buildUserTemplate(t, { prompt: 'a dog' });
    expect(graph['6']?.inputs.text).toBe('a dog');
    expect(graph['3']?.inputs.seed).toBe(42);
    expect(t.graph['6']?.inputs.text).toBe('a cat');
  });

  it('refuses unknown params and wrong types', () => {
    expect(() => buildUserTemplate(t, { steps: 3 })).toThrow(InvalidUserTemplateError);
    expect(() => buildUserTemplate(t, { seed: 1.5 })).toThrow(/param seed \(INT\)/);
    expect(() => buildUserTemplate(t, { seed: -1 })).toThrow(/param seed/);
  });
});

describe('template store', () => {
  it('saves atomically, loads, lists, and reports a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'user-templates-'));
    const t = importUserTemplate(apiGraph, { name: 'basic', params: { prompt: '6.inputs.text' }, objectInfo: defaultObjectInfo() });
    const path = await saveUserTemplate(dir, t);
    expect(path).toBe(join(dir, '.storycore', 'templates', 'basic.json'));
    expect(readdirSync(join(dir, '.storycore', 'templates'))).toEqual(['basic.json']);
    expect(await loadUserTemplate(dir, 'basic')).toEqual(t);
    expect(await listUserTemplates(dir)).toEqual(['basic']);
    await expect(loadUserTemplate(dir, 'nope')).rejects.toThrow(UserTemplateNotFoundError);
    await expect(loadUserTemplate(dir, '../escape')).rejects.toThrow(InvalidUserTemplateError);
  });
});
