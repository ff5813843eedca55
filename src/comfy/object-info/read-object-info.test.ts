import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from './load.js';
import { formatUnreadable, readObjectInfo } from './read-object-info.js';
import { preprocessorSelector } from '../../../test/fixtures/object-info/preprocessor-selector.js';

/** Shaped like comfyui_controlnet_aux's ControlNetPreprocessorSelector: a list of choices as its output type. */
const selector = preprocessorSelector;

describe('readObjectInfo: a class the client cannot parse is skipped and named', () => {
  it('keeps every other class of the body and names the one it skipped, with where it failed', () => {
    const core = defaultObjectInfo();
    const { objectInfo, unreadable } = readObjectInfo({ ...core, ControlNetPreprocessorSelector: selector });
    expect(Object.keys(objectInfo)).toHaveLength(Object.keys(core).length);
    expect(objectInfo.ControlNetPreprocessorSelector).toBeUndefined();
    expect(objectInfo.KSampler?.output).toEqual(['LATENT']);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.name).toBe('ControlNetPreprocessorSelector');
    expect(unreadable[0]?.problem).toMatch(/^output\[0\]: expected string, received array \(got \["none","CannyEdgePreprocessor"/);
    expect(formatUnreadable(unreadable)).toMatch(/^ControlNetPreprocessorSelector \(output\[0\]: /);
  });

  it('skips a class that is not an object at all, and one missing a required key', () => {
    const { objectInfo, unreadable } = readObjectInfo({ Broken: 'x', NoOutput: { ...selector, output: undefined, name: 'NoOutput' }, Fine: { ...selector, output: ['STRING'], name: 'Fine' } });
    expect(Object.keys(objectInfo)).toEqual(['Fine']);
    expect(unreadable.map((n) => n.name)).toEqual(['Broken', 'NoOutput']);
    expect(unreadable[1]?.problem).toMatch(/^output: /);
  });

  it('still refuses a body that is not an object_info at all', () => {
    expect(() => readObjectInfo(['KSampler'])).toThrow();
    expect(() => readObjectInfo(null)).toThrow();
  });
});
