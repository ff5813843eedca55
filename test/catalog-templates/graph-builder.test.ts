import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/catalog/graph/graph-builder.js';
import { UnknownOutputError } from '../../src/catalog/graph/errors/unknown-output-error.js';
import { NodeIdTakenError } from '../../src/catalog/graph/errors/node-id-taken-error.js';
import { consumersOf } from '../../src/catalog/graph/graph-query.js';

describe('GraphBuilder', () => {
  it('numbers nodes, titles them and links outputs by index or name', () => {
    const g = new GraphBuilder();
    const ckpt = g.node('CheckpointLoaderSimple', { ckpt_name: 'v1-5-pruned-emaonly-fp16.safetensors' });
    const pos = g.node('CLIPTextEncode', { clip: ckpt.out('CLIP'), text: 'a lighthouse' }, { title: 'Positive' });
    g.node('VAEDecode', { samples: g.node('EmptyLatentImage', { width: 512, height: 512, batch_size: 1 }).out(0), vae: ckpt.out(2) });
    const graph = g.build();
    expect(Object.keys(graph)).toEqual(['1', '2', '3', '4']);
    expect(graph['2']).toEqual({ class_type: 'CLIPTextEncode', inputs: { clip: ['1', 1], text: 'a lighthouse' }, _meta: { title: 'Positive' } });
    expect(graph['1']!._meta?.title).toBe('CheckpointLoaderSimple');
    expect(graph['4']!.inputs.vae).toEqual(['1', 2]);
    expect(pos.out('CONDITIONING')).toEqual(['2', 0]);
  });

  it('drops undefined optional inputs and continues numbering after an existing graph', () => {
    const g = new GraphBuilder({ '7': { class_type: 'LoadImage', inputs: { image: 'a.png' } }, '12:3': { class_type: 'LoadImage', inputs: { image: 'b.png' } } });
    const node = g.node('Wan22ImageToVideoLatent', { vae: ['9', 0], width: 1280, height: 704, length: 41, batch_size: 1, start_image: undefined });
    expect(node.id).toBe('8');
    expect('start_image' in g.build()['8']!.inputs).toBe(false);
    expect(consumersOf(g.build(), ['9', 0])).toEqual([{ nodeId: '8', input: 'vae' }]);
  });

  it('throws typed errors for unknown outputs and taken ids', () => {
    const g = new GraphBuilder();
    const ckpt = g.node('CheckpointLoaderSimple', { ckpt_name: 'x' });
    expect(() => ckpt.out('LATENT' as never)).toThrow(UnknownOutputError);
    expect(() => ckpt.out(5 as never)).toThrow(/outputs: 0 MODEL, 1 CLIP, 2 VAE/);
    expect(() => g.node('SaveImage', { images: ['1', 0], filename_prefix: 'x' }, { id: '1' })).toThrow(NodeIdTakenError);
  });

  it('rejects wrong input names and socket types at compile time (checked by tsc)', () => {
    // Never run: each line below must fail to compile, or `npm run typecheck` fails on an unused directive.
    const compileOnly = (g: GraphBuilder) => {
    const ckpt = g.node('CheckpointLoaderSimple', { ckpt_name: 'x' });
    const latent = g.node('EmptyLatentImage', { width: 512, height: 512, batch_size: 1 });
    const base = { model: ckpt.out('MODEL'), positive: ['0', 0] as never, negative: ['0', 0] as never, latent_image: latent.out(0), steps: 20, cfg: 8, sampler_name: 'euler', scheduler: 'normal', denoise: 1 } as const;
    // @ts-expect-error `sede` is not an input of KSampler
    g.node('KSampler', { ...base, sede: 1, seed: 1 });
    // @ts-expect-error a CLIP output cannot feed the MODEL input
    g.node('KSampler', { ...base, seed: 1, model: ckpt.out('CLIP') });
    // @ts-expect-error not a sampler_name option
    g.node('KSampler', { ...base, seed: 1, sampler_name: 'warp' });
    // @ts-expect-error CheckpointLoaderSimple has no output named LATENT
    ckpt.out('LATENT');
    };
    expect(typeof compileOnly).toBe('function');
  });
});
