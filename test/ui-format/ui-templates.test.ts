import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { applyModelLists, modelInputsOf } from '../../src/comfy/object-info/model-lists.js';
import { convertUiToApi } from '../../src/comfy/ui-format/convert.js';
import { validatePrompt } from '../../src/comfy/validation/index.js';

/**
 * The official templates (no recorded API pair): their conversion must pass ComfyUI's own
 * validation against the extended object_info, given a worker that has the model files they
 * name and the image LoadImage names.
 */
const DIR = join(import.meta.dirname, '../fixtures/ui-templates');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

/** What each template must contain once flattened (subgraph ids are `<instance>:<inner>`). */
const EXPECTED_NODES: Record<string, { count: number; someIds: string[] }> = {
  'image_newbieimage_exp0_1-t2i.json': { count: 15, someIds: ['9', '41:3', '41:43', '41:49'] },
  'image_qwen_image.json': { count: 10, someIds: ['3', '37', '66'] },
  'image_qwen_image_layered.json': { count: 18, someIds: ['74', '83:3', '83:76', '83:83'] },
  'video_wan2_2_14B_t2v.json': { count: 16, someIds: ['78', '81', '83', '85'] },
};

describe('official UI templates convert to prompts ComfyUI accepts', () => {
  it('has the four templates', () => {
    expect(files).toEqual(Object.keys(EXPECTED_NODES).sort());
  });

  for (const file of files) {
    it(file, () => {
      const workflow = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
      const objectInfo = extendedObjectInfo();
      const { prompt } = convertUiToApi(workflow, objectInfo);
      const expected = EXPECTED_NODES[file] as { count: number; someIds: string[] };
      expect(Object.keys(prompt)).toHaveLength(expected.count);
      for (const id of expected.someIds) expect(prompt[id], `node ${id}`).toBeDefined();

      const models: Record<string, string[]> = {};
      for (const m of modelInputsOf(prompt, objectInfo)) (models[m.folder] ??= []).push(m.file);
      const images = Object.values(prompt)
        .filter((n) => n.class_type === 'LoadImage')
        .map((n) => String(n.inputs.image));
      const outcome = validatePrompt(prompt, applyModelLists(objectInfo, models), { inputFileExists: (name) => images.includes(name) });
      expect(outcome.nodeErrors).toEqual({});
      expect(outcome.ok ? 'ok' : outcome.error).toBe('ok');
    });
  }

  it('Qwen-Image-Layered: the image-to-layers subgraph takes its inputs from outside and its promoted widgets', () => {
    const workflow = JSON.parse(readFileSync(join(DIR, 'image_qwen_image_layered.json'), 'utf8'));
    const { prompt } = convertUiToApi(workflow, extendedObjectInfo());
    // Linked instance input → the outer node; unconnected ones → the instance's widget values.
    expect(prompt['83:6']?.inputs.text).toEqual(['116', 0]);
    expect(prompt['83:71']?.inputs.pixels).toEqual(['82', 0]);
    expect(prompt['83:83']?.inputs).toMatchObject({ width: ['83:78', 0], height: ['83:78', 1], layers: 2 });
    expect(prompt['83:3']?.inputs).toMatchObject({ seed: 657641993490688, steps: 20, cfg: 2.5 });
    expect(prompt['60']?.inputs.images).toEqual(['83:8', 0]);
    // The bypassed text-to-layers instance (115) and its bypassed inner nodes are not sent.
    expect(Object.keys(prompt).filter((id) => id.startsWith('115'))).toEqual([]);
  });

  it('NewBie: an unconnected promoted input takes the instance value, a connected one the link', () => {
    const workflow = JSON.parse(readFileSync(join(DIR, 'image_newbieimage_exp0_1-t2i.json'), 'utf8'));
    const { prompt } = convertUiToApi(workflow, extendedObjectInfo());
    expect(prompt['41:43']?.inputs.text).toEqual(['46', 0]);
    expect(prompt['41:49']?.inputs.text).toBe('You are an assistant designed to generate low-quality images based on textual prompts. <Prompt Start>');
  });
});
