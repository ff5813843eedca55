import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { saveImage } from './fragments.js';
import { dimension, inputFile, prompt, samplerName, scheduler, seed } from './params.js';
import { modelLoras, QWEN_STEP_SECONDS_1328, qwenLoaders } from './qwen-common.js';

/** Qwen-Image-Edit, single input image (reference §6.2; ComfyUI_examples qwen_image_edit_basic_example). */
const params = z.object({
  prompt: prompt('make the background a starry night sky'),
  negative: prompt(' '),
  image: inputFile('fennec_girl_sing.png'),
  seed: seed(643571810992611),
  width: dimension(1024, 16),
  height: dimension(1024, 16),
  /** Qwen-Image-Lightning 4-step LoRA (4 steps, cfg 1 unless given). */
  lightning: z.boolean().default(false),
  steps: z.number().int().min(1).max(10000).optional(),
  cfg: z.number().min(0).max(100).optional(),
  shift: z.number().min(0).max(100).default(3.1),
  sampler: samplerName('euler'),
  scheduler: scheduler('simple'),
  filenamePrefix: z.string().min(1).default('ComfyUI'),
});

type Params = z.output<typeof params>;
const schedule = (p: Params) => ({ steps: p.steps ?? (p.lightning ? 4 : 20), cfg: p.cfg ?? (p.lightning ? 1 : 4) });

export const qwenImageEdit = defineTemplate({
  id: 'qwen-image-edit',
  version: '1.0.0',
  title: 'Qwen-Image-Edit',
  description: 'Edits one image from an instruction with Qwen-Image-Edit (the image is also a reference latent).',
  family: 'qwen-image',
  capabilities: ['image_editing'],
  params,
  scores: { quality: 0.8, speed: 0.35 },
  variants: [{ id: 'lightning', kind: 'fast', description: 'Qwen-Image-Lightning 4-step LoRA: 4 steps, cfg 1', params: { lightning: true } }],
  graph(p) {
    const s = schedule(p);
    const g = new GraphBuilder();
    const { model, clip, vae } = qwenLoaders(g, 'qwen_image_edit_fp8_e4m3fn.safetensors');
    const image = g.node('LoadImage', { image: p.image }, { title: 'Image To Edit' });
    const patched = modelLoras(g, model, p.lightning ? [{ file: 'Qwen-Image-Lightning-4steps-V1.0.safetensors', strength: 1, title: 'Lightning LoRA' }] : []);
    const sampling = g.node('ModelSamplingAuraFlow', { model: patched, shift: p.shift }, { title: 'ModelSamplingAuraFlow' });
    const norm = g.node('CFGNorm', { model: sampling.out(0), strength: 1 }, { title: 'CFGNorm' });
    const positive = g.node('TextEncodeQwenImageEdit', { clip, vae, image: image.out('IMAGE'), prompt: p.prompt }, { title: 'Positive (Edit)' });
    const negative = g.node('TextEncodeQwenImageEdit', { clip, vae, image: image.out('IMAGE'), prompt: p.negative }, { title: 'Negative (Edit)' });
    const empty = g.node('EmptySD3LatentImage', { width: p.width, height: p.height, batch_size: 1 }, { title: 'Empty Latent' });
    const sampled = g.node(
      'KSampler',
      { model: norm.out(0), positive: positive.out(0), negative: negative.out(0), latent_image: empty.out(0), seed: p.seed, steps: s.steps, cfg: s.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out(0), vae }, { title: 'VAE Decode' });
    saveImage(g, decoded.out(0), p.filenamePrefix);
    return g.build();
  },
  output: (p) => ({ kind: 'image', width: p.width, height: p.height }),
  cost: (p) => ({
    steps: schedule(p).steps,
    secondsPerStepRtx4090: scaleByWork(QWEN_STEP_SECONDS_1328 * 1.3, { width: 1328, height: 1328 }, { width: p.width, height: p.height }),
    workload: { width: p.width, height: p.height },
  }),
});
