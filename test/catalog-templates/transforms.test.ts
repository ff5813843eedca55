import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { templateById } from '../../src/catalog/templates/index.js';
import { IncompatibleTransformError, withControlNet, withIpAdapter, withLoras } from '../../src/catalog/transforms/index.js';
import { validateOnMatchingWorker } from './validate-graph.js';

const byClass = (graph: ApiGraph, cls: string) => Object.entries(graph).filter(([, n]) => n.class_type === cls);

function expectValid(graph: ApiGraph): void {
  const outcome = validateOnMatchingWorker(graph);
  expect(outcome.ok ? [] : [outcome.error, outcome.nodeErrors]).toEqual([]);
}

describe.each(['sd15-t2i', 'sd15-img2img', 'sdxl-t2i', 'sdxl-img2img'])('transforms on %s', (id) => {
  const base = templateById(id).build();

  it('withLoras chains LoraLoader and rewires every MODEL/CLIP consumer', () => {
    const graph = withLoras(base, [
      { file: 'a.safetensors', strength_model: 0.8, strength_clip: 0.7 },
      { file: 'b.safetensors' },
    ]);
    const loras = byClass(graph, 'LoraLoader');
    expect(loras).toHaveLength(2);
    const [ckptId] = byClass(graph, 'CheckpointLoaderSimple')[0]!;
    const [firstId, first] = loras[0]!;
    const [lastId, last] = loras[1]!;
    expect(first.inputs).toMatchObject({ model: [ckptId, 0], clip: [ckptId, 1], strength_model: 0.8, strength_clip: 0.7 });
    expect(last.inputs).toMatchObject({ model: [firstId, 0], clip: [firstId, 1] });
    for (const [nid, node] of Object.entries(graph)) {
      if (nid === firstId) continue;
      for (const v of Object.values(node.inputs)) {
        if (Array.isArray(v) && v[0] === ckptId) expect(v[1], `${node.class_type} still reads the checkpoint's ${v[1]}`).toBe(2);
      }
    }
    expect(byClass(graph, 'KSampler')[0]![1].inputs.model).toEqual([lastId, 0]);
    expectValid(graph);
  });

  it('withControlNet adds preprocessor + loader + apply on the sampler conditioning', () => {
    for (const type of ['openpose', 'depth', 'lineart'] as const) {
      const graph = withControlNet(base, { type, image: 'pose.png', strength: 0.9, start: 0, end: 0.8 });
      const [applyId, apply] = byClass(graph, 'ControlNetApplyAdvanced')[0]!;
      expect(apply.inputs).toMatchObject({ strength: 0.9, start_percent: 0, end_percent: 0.8 });
      const sampler = [...byClass(graph, 'KSampler'), ...byClass(graph, 'KSamplerAdvanced')][0]![1];
      expect(sampler.inputs.positive).toEqual([applyId, 0]);
      expect(sampler.inputs.negative).toEqual([applyId, 1]);
      const pre = { openpose: 'OpenposePreprocessor', depth: 'DepthAnythingV2Preprocessor', lineart: 'LineArtPreprocessor' }[type];
      expect(byClass(graph, pre)).toHaveLength(1);
      expectValid(graph);
    }
  });

  it('withIpAdapter puts the adapter on the model the sampler reads, after LoRAs', () => {
    const graph = withIpAdapter(withLoras(base, [{ file: 'a.safetensors' }]), { image: 'face.png', weight: 0.7, preset: 'PLUS (high strength)' });
    const [loraId] = byClass(graph, 'LoraLoader')[0]!;
    const [, loader] = byClass(graph, 'IPAdapterUnifiedLoader')[0]!;
    const [applyId, apply] = byClass(graph, 'IPAdapterAdvanced')[0]!;
    expect(loader.inputs.model).toEqual([loraId, 0]);
    expect(apply.inputs.weight).toBe(0.7);
    expect(byClass(graph, 'KSampler')[0]![1].inputs.model).toEqual([applyId, 0]);
    expectValid(graph);
  });

  it('transforms compose (LoRA + ControlNet + IP-Adapter)', () => {
    const graph = withIpAdapter(withControlNet(withLoras(base, [{ file: 'a.safetensors' }]), { type: 'depth', image: 'd.png' }), { image: 'ref.png' });
    expectValid(graph);
  });
});

describe('transform compatibility', () => {
  it('withLoras on a DiT graph uses LoraLoaderModelOnly before ModelSampling', () => {
    const graph = withLoras(templateById('qwen-image-t2i').build(), [{ file: 'style.safetensors', strength_model: 0.6 }]);
    const [loraId, lora] = byClass(graph, 'LoraLoaderModelOnly')[0]!;
    expect(lora.inputs.strength_model).toBe(0.6);
    expect(byClass(graph, 'ModelSamplingAuraFlow')[0]![1].inputs.model).toEqual([loraId, 0]);
    expectValid(graph);
  });

  it('ControlNet and IP-Adapter refuse other families with a typed error', () => {
    const wan = templateById('wan22-t2v-14b').build();
    expect(() => withControlNet(wan, { type: 'depth', image: 'd.png' })).toThrow(IncompatibleTransformError);
    expect(() => withIpAdapter(wan, { image: 'r.png' })).toThrow(IncompatibleTransformError);
    expect(() => withLoras(templateById('rife-interpolate').build(), [{ file: 'x.safetensors' }])).toThrow(IncompatibleTransformError);
    try {
      withControlNet(templateById('qwen-image-t2i').build(), { type: 'depth', image: 'd.png' });
    } catch (error) {
      expect((error as IncompatibleTransformError).code).toBe('TRANSFORM_INCOMPATIBLE');
      expect((error as IncompatibleTransformError).hint).toContain('sd15');
    }
  });

  it('SD1.5-only IP-Adapter presets are refused on SDXL', () => {
    expect(() => withIpAdapter(templateById('sdxl-t2i').build(), { image: 'r.png', preset: 'LIGHT - SD1.5 only (low strength)' })).toThrow(/SD1.5 only/);
  });

  it('transforms do not mutate their input graph', () => {
    const base = templateById('sd15-t2i').build();
    const copy = structuredClone(base);
    withControlNet(withLoras(base, [{ file: 'a.safetensors' }]), { type: 'openpose', image: 'p.png' });
    expect(base).toEqual(copy);
  });
});
