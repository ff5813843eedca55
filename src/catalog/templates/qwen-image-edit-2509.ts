import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { saveImage } from './fragments.js';
import { prompt, samplerName, scheduler, seed } from './params.js';
import { editImages, editPlusConditioning, KONTEXT_WORKLOAD, modelLoras, QWEN_STEP_SECONDS_1328, qwenLoaders } from './qwen-common.js';

/** Qwen-Image-Edit 2509, one to three input images (reference §6.3; template image_qwen_image_edit_2509). */
const params = z.object({
  prompt: prompt('Replace the cat with a dalmatian'),
  negative: prompt(''),
  ...editImages('image_qwen_image_edit_2509_input_image.png'),
  seed: seed(477315547380083),
  /** Qwen-Image-Edit-2509 Lightning 4-step LoRA (4 steps, cfg 1 unless given). */
  lightning: z.boolean().default(false),
  steps: z.number().int().min(1).max(10000).optional(),
  cfg: z.number().min(0).max(100).optional(),
  shift: z.number().min(0).max(100).default(3),
  sampler: samplerName('euler'),
  scheduler: scheduler('simple'),
  filenamePrefix: z.string().min(1).default('ComfyUI'),
});

type Params = z.output<typeof params>;
const schedule = (p: Params) => ({ steps: p.steps ?? (p.lightning ? 4 : 20), cfg: p.cfg ?? (p.lightning ? 1 : 2.5) });

export const qwenImageEdit2509 = defineTemplate({
  id: 'qwen-image-edit-2509',
  version: '1.0.0',
  title: 'Qwen-Image-Edit 2509 (multi-image)',
  description: 'Edits or combines up to three images from an instruction ("Picture 1/2/3") with Qwen-Image-Edit 2509; output size follows image 1.',
  family: 'qwen-image',
  capabilities: ['image_editing'],
  params,
  scores: { quality: 0.88, speed: 0.35 },
  variants: [
    { id: 'lightning', kind: 'fast', description: '2509 Lightning 4-step LoRA: 4 steps, cfg 1', params: { lightning: true } },
    { id: 'qwen-team', kind: 'quality', description: 'the Qwen team\'s settings: 50 steps, cfg 4', params: { steps: 50, cfg: 4 } },
  ],
  graph(p) {
    const s = schedule(p);
    const g = new GraphBuilder();
    const { model, clip, vae } = qwenLoaders(g, 'qwen_image_edit_2509_fp8_e4m3fn.safetensors');
    const patched = modelLoras(g, model, p.lightning ? [{ file: 'Qwen-Image-Edit-2509-Lightning-4steps-V1.0-bf16.safetensors', strength: 1, title: 'Lightning LoRA' }] : []);
    const sampling = g.node('ModelSamplingAuraFlow', { model: patched, shift: p.shift }, { title: 'ModelSamplingAuraFlow' });
    const norm = g.node('CFGNorm', { model: sampling.out(0), strength: 1 }, { title: 'CFGNorm' });
    const c = editPlusConditioning(g, { clip, vae, ...p });
    const sampled = g.node(
      'KSampler',
      { model: norm.out(0), positive: c.positive, negative: c.negative, latent_image: c.latent, seed: p.seed, steps: s.steps, cfg: s.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out(0), vae }, { title: 'VAE Decode' });
    saveImage(g, decoded.out(0), p.filenamePrefix);
    return g.build();
  },
  // FluxKontextImageScale picks the size from image 1, so it is not known before the run.
  output: () => ({ kind: 'image' }),
  cost: (p) => ({ steps: schedule(p).steps, secondsPerStepRtx4090: QWEN_STEP_SECONDS_1328 * 1.2, workload: KONTEXT_WORKLOAD }),
});
