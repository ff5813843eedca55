import { describe, expect, it } from 'vitest';
import type { ApiGraph, ApiNode } from '../../src/comfy/graph.js';
import { framesFor, templateById } from '../../src/catalog/templates/index.js';

function passes(graph: ApiGraph): [ApiNode, ApiNode] {
  const samplers = Object.entries(graph).filter(([, n]) => n.class_type === 'KSamplerAdvanced');
  expect(samplers).toHaveLength(2);
  const second = samplers.find(([, n]) => Array.isArray(n.inputs.latent_image) && graph[n.inputs.latent_image[0] as string]!.class_type === 'KSamplerAdvanced')!;
  const first = samplers.find(([id]) => id !== second[0])!;
  return [first[1], second[1]];
}

/** Follows a MODEL link upstream to the UNETLoader file and the LoRA files on the way. */
function chainOf(graph: ApiGraph, node: ApiNode): { unet: string; loras: string[] } {
  const loras: string[] = [];
  let link = node.inputs.model as [string, number];
  for (;;) {
    const up = graph[link[0]]!;
    if (up.class_type === 'UNETLoader') return { unet: String(up.inputs.unet_name), loras };
    if (up.class_type === 'LoraLoaderModelOnly') loras.push(String(up.inputs.lora_name));
    link = up.inputs.model as [string, number];
  }
}

describe('Wan 2.2 frame math', () => {
  it('5 s = 81 frames and 10 s = 161 at 16 fps', () => {
    expect(framesFor(5, 16)).toBe(81);
    expect(framesFor(10, 16)).toBe(161);
    const i2v = templateById('wan22-i2v-14b');
    expect(i2v.output()).toMatchObject({ kind: 'video', frames: 81, fps: 16 });
    expect(i2v.output({ duration: 10 })).toMatchObject({ frames: 161, fps: 16 });
    const node = Object.values(i2v.build({ duration: 10 })).find((n) => n.class_type === 'WanImageToVideo')!;
    expect(node.inputs.length).toBe(161);
    const t2v = Object.values(templateById('wan22-t2v-14b').build(templateById('wan22-t2v-14b').variant('10s'))).find((n) => n.class_type === 'EmptyHunyuanLatentVideo')!;
    expect(t2v.inputs.length).toBe(161);
  });

  it('HunyuanVideo 1.5 defaults to 121 frames at 24 fps', () => {
    for (const id of ['hunyuan15-t2v', 'hunyuan15-i2v']) expect(templateById(id).output()).toMatchObject({ kind: 'video', frames: 121, fps: 24 });
    const latent = Object.values(templateById('hunyuan15-t2v').build()).find((n) => n.class_type === 'EmptyHunyuanVideo15Latent')!;
    expect(latent.inputs.length).toBe(121);
  });
});

describe.each(['wan22-i2v-14b', 'wan22-t2v-14b', 'wan22-flf2v'])('%s two-pass contract (reference §2.4)', (id) => {
  const template = templateById(id);

  it('pass 1 high-noise: enable / seed / 0…S / leftover noise; pass 2 low-noise: disable / 0 / S…10000', () => {
    const graph = template.build({ seed: 1234 });
    const [p1, p2] = passes(graph);
    expect(p1.inputs).toMatchObject({ add_noise: 'enable', noise_seed: 1234, steps: 20, cfg: 3.5, start_at_step: 0, end_at_step: 10, return_with_leftover_noise: 'enable' });
    expect(p2.inputs).toMatchObject({ add_noise: 'disable', noise_seed: 0, steps: 20, cfg: 3.5, start_at_step: 10, end_at_step: 10000, return_with_leftover_noise: 'disable' });
    expect(p1.inputs.sampler_name).toBe(p2.inputs.sampler_name);
    expect(p1.inputs.scheduler).toBe(p2.inputs.scheduler);
    expect(p1.inputs.positive).toEqual(p2.inputs.positive);
    expect(p1.inputs.negative).toEqual(p2.inputs.negative);
    expect(p2.inputs.latent_image).toEqual([Object.keys(graph).find((k) => graph[k] === p1), 0]);
    expect(chainOf(graph, p1).unet).toMatch(/high_noise/);
    expect(chainOf(graph, p2).unet).toMatch(/low_noise/);
  });

  it('lightning variant: 4 steps, cfg 1, split 2, each LoRA on its own expert', () => {
    const graph = template.build(template.variant('lightning'));
    const [p1, p2] = passes(graph);
    expect(p1.inputs).toMatchObject({ steps: 4, cfg: 1, start_at_step: 0, end_at_step: 2 });
    expect(p2.inputs).toMatchObject({ steps: 4, cfg: 1, start_at_step: 2 });
    const first = chainOf(graph, p1);
    const second = chainOf(graph, p2);
    expect(first.loras).toHaveLength(1);
    expect(first.loras[0]).toMatch(/high_noise/);
    expect(second.loras[0]).toMatch(/low_noise/);
  });
});

describe('low→high expert order', () => {
  it.each(['wan22-i2v-14b', 'wan22-t2v-14b'])('%s swaps only the model chains, never the sampler settings', (id) => {
    const template = templateById(id);
    const normal = passes(template.build({ lightning: true }));
    const graph = template.build({ lightning: true, expertOrder: 'low-high' });
    const swapped = passes(graph);
    const settings = (n: ApiNode) => {
      const { model: _m, latent_image: _l, ...rest } = n.inputs;
      return rest;
    };
    expect(settings(swapped[0])).toEqual(settings(normal[0]));
    expect(settings(swapped[1])).toEqual(settings(normal[1]));
    const first = chainOf(graph, swapped[0]);
    const second = chainOf(graph, swapped[1]);
    expect(first.unet).toMatch(/low_noise/);
    expect(first.loras[0]).toMatch(/low_noise/);
    expect(second.unet).toMatch(/high_noise/);
    expect(second.loras[0]).toMatch(/high_noise/);
  });
});
