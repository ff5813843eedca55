import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveImage } from './fragments.js';
import { dimension, prompt, samplerName, seed } from './params.js';

/** SDXL Turbo: 1-step text to image at 512² (ComfyUI_examples sdturbo: SamplerCustom + SDTurboScheduler, cfg 1). */
const params = z.object({
  prompt: prompt('a photograph of a lighthouse on a cliff at sunset, dramatic clouds'),
  negative: prompt(''),
  seed: seed(0),
  width: dimension(512, 8),
  height: dimension(512, 8),
  batchSize: z.number().int().min(1).max(64).default(1),
  steps: z.number().int().min(1).max(10).default(1),
  cfg: z.number().min(0).max(100).default(1),
  sampler: samplerName('euler_ancestral'),
  filenamePrefix: z.string().min(1).default('ComfyUI'),
});

export const sdxlTurboT2i = defineTemplate({
  id: 'sdxl-turbo-t2i',
  version: '1.0.0',
  title: 'SDXL Turbo text to image (1 step)',
  description: 'Near-instant drafts: SDXL Turbo at 512² in one step; for storyboards and previews.',
  family: 'sdxl-turbo',
  capabilities: ['text_to_image'],
  params,
  scores: { quality: 0.4, speed: 1 },
  variants: [],
  graph(p) {
    const g = new GraphBuilder();
    const ckpt = g.node('CheckpointLoaderSimple', { ckpt_name: 'sd_xl_turbo_1.0_fp16.safetensors' }, { title: 'Load Checkpoint' });
    const text = encodePair(g, ckpt.out('CLIP'), p.prompt, p.negative);
    const empty = g.node('EmptyLatentImage', { width: p.width, height: p.height, batch_size: p.batchSize }, { title: 'Empty Latent Image' });
    const sampler = g.node('KSamplerSelect', { sampler_name: p.sampler as never }, { title: 'KSamplerSelect' });
    const sigmas = g.node('SDTurboScheduler', { model: ckpt.out('MODEL'), steps: p.steps, denoise: 1 }, { title: 'SDTurboScheduler' });
    const sampled = g.node(
      'SamplerCustom',
      { model: ckpt.out('MODEL'), add_noise: true, noise_seed: p.seed, cfg: p.cfg, ...text, sampler: sampler.out(0), sigmas: sigmas.out(0), latent_image: empty.out(0) },
      { title: 'SamplerCustom' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out('output'), vae: ckpt.out('VAE') }, { title: 'VAE Decode' });
    saveImage(g, decoded.out(0), p.filenamePrefix);
    return g.build();
  },
  output: (p) => (p.batchSize > 1 ? { kind: 'images', frames: p.batchSize, width: p.width, height: p.height } : { kind: 'image', width: p.width, height: p.height }),
  cost: (p) => ({ steps: p.steps, secondsPerStepRtx4090: scaleByWork(0.05, { width: 512, height: 512, frames: 1 }, { width: p.width, height: p.height, frames: p.batchSize }), workload: { width: p.width, height: p.height, batch: p.batchSize } }),
});
