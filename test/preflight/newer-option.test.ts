import { describe, expect, it } from 'vitest';
import { inventoryFromObjectInfo, preflight } from '../../src/catalog/preflight/index.js';
import { templateById } from '../../src/catalog/templates/index.js';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';

/**
 * Real ComfyUI 0.3.64 has every class of newbie-anime but rejects DualCLIPLoader type "newbie"
 * (added later): test/catalog-e2e/templates-on-real-comfyui.test.ts shows both verdicts agree.
 * The fix preflight gives must be "update ComfyUI", not "pick another value".
 */
describe('a combo value newer than the worker', () => {
  it('says to update ComfyUI, naming the value, the input and the class', () => {
    const template = templateById('newbie-anime');
    const params = template.parse({}) as Record<string, unknown>;
    const graph = template.build(params);
    const models: Record<string, string[]> = {};
    for (const m of template.requirements(params).models) (models[m.folder] ??= []).push(m.file);
    const report = preflight(graph, inventoryFromObjectInfo(defaultObjectInfo(), { models }), { template, params });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ kind: 'validation', classType: 'DualCLIPLoader', input: 'type' });
    expect(report.problems[0]?.fix).toBe('update ComfyUI: "newbie" for type of DualCLIPLoader is newer than the worker\'s ComfyUI (https://github.com/Comfy-Org/ComfyUI)');
  });

  it('keeps the usual fix for a value no version offers', () => {
    const template = templateById('sd15-t2i');
    const params = template.parse({}) as Record<string, unknown>;
    const graph = template.build(params);
    const sampler = Object.values(graph).find((n) => n.class_type === 'KSampler')!;
    sampler.inputs.sampler_name = 'no_such_sampler';
    const models: Record<string, string[]> = {};
    for (const m of template.requirements(params).models) (models[m.folder] ??= []).push(m.file);
    const report = preflight(graph, inventoryFromObjectInfo(defaultObjectInfo(), { models }), { template, params });
    expect(report.problems.map((p) => p.fix)).toEqual([expect.stringMatching(/^use one of the values the worker offers/)]);
  });
});
