import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveImage } from './fragments.js';
import { denoise, dimension, prompt, samplerName, scheduler, seed } from './params.js';
import { modelLoras, QWEN_STEP_SECONDS_1328, qwenLoaders } from './qwen-common.js';

/** Qwen-Image text-to-image (reference §6.1; template image_qwen_image, values from the shipped UI file). */
const params = z.object({
  prompt: prompt(
    'A vibrant, warm neon-lit street scene in Hong Kong at the afternoon, with a mix of colorful Chinese and English signs glowing brightly. The atmosphere is lively, cinematic, and rain-washed with reflections on the pavement.',
  ),
  negative: prompt(''),
  seed: seed(1125488487853216),
  width: dimension(1328, 16),
  height: dimension(1328, 16),
  batchSize: z.number().int().min(1).max(16).default(1),
  /** Qwen-Image-Lightning 8-step LoRA (8 steps, cfg 1 unless given). */
  lightning: z.boolean().default(false),
  steps: z.number().int().min(1).max(10000).optional(),
  cfg: z.number().min(0).max(100).optional(),
  denoise: denoise(1),
  shift: z.number().min(0).max(100).default(3.1),
  sampler: samplerName('euler'),
  scheduler: scheduler('simple'),
  filenamePrefix: z.string().min(1).default('ComfyUI'),
});

type Params = z.output<typeof params>;
const schedule = (p: Params) => ({ steps: p.steps ?? (p.lightning ? 8 : 20), cfg: p.cfg ?? (p.lightning ? 1 : 2.5) });

export const qwenImageT2i = defineTemplate({
  id: 'qwen-image-t2i',
  version: '1.0.0',
  title: 'Qwen-Image text to image',
  description: 'Qwen-Image 20B (fp8) text to image at 1328², strong at rendering text in Chinese and English.',
  family: 'qwen-image',
  capabilities: ['text_to_image'],
  params,
  scores: { quality: 0.9, speed: 0.35 },
  variants: [{ id: 'lightning', kind: 'fast', description: 'Qwen-Image-Lightning 8-step LoRA: 8 steps, cfg 1', params: { lightning: true } }],
  graph(p) {
    const s = schedule(p);
    const g = new GraphBuilder();
    const { model, clip, vae } = qwenLoaders(g, 'qwen_image_fp8_e4m3fn.safetensors');
    const patched = modelLoras(g, model, p.lightning ? [{ file: 'Qwen-Image-Lightning-8steps-V1.0.safetensors', strength: 1, title: 'Lightning LoRA' }] : []);
    const sampling = g.node('ModelSamplingAuraFlow', { model: patched, shift: p.shift }, { title: 'ModelSamplingAuraFlow' });
    const text = encodePair(g, clip, p.prompt, p.negative);
    const empty = g.node('EmptySD3LatentImage', { width: p.width, height: p.height, batch_size: p.batchSize }, { title: 'Empty Latent' });
    const sampled = g.node(
      'KSampler',
      { model: sampling.out(0), ...text, latent_image: empty.out(0), seed: p.seed, steps: s.steps, cfg: s.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: p.denoise },
      { title: 'KSampler' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out(0), vae }, { title: 'VAE Decode' });
    saveImage(g, decoded.out(0), p.filenamePrefix);
    return g.build();
  },
  output: (p) => (p.batchSize > 1 ? { kind: 'images', frames: p.batchSize, width: p.width, height: p.height } : { kind: 'image', width: p.width, height: p.height }),
  cost: (p) => ({
    steps: schedule(p).steps,
    secondsPerStepRtx4090: scaleByWork(QWEN_STEP_SECONDS_1328, { width: 1328, height: 1328, frames: 1 }, { width: p.width, height: p.height, frames: p.batchSize }),
    workload: { width: p.width, height: p.height, batch: p.batchSize },
  }),
});
