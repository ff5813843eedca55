import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { saveImage } from './fragments.js';
import { prompt, samplerName, scheduler, seed, steps, cfg } from './params.js';
import { editImages, editPlusConditioning, KONTEXT_WORKLOAD, modelLoras, QWEN_STEP_SECONDS_1328, qwenLoaders } from './qwen-common.js';

/** The relight LoRA only reacts to prompts that start with this trigger (reference §6.4). */
export const RELIGHT_TRIGGER = '重新照明';

const params = z.object({
  /** The lighting to apply; the trigger word is prepended when missing. */
  prompt: prompt(`${RELIGHT_TRIGGER}, relight the image using twilight light (with a warm color temperature, soft light, and blurred shadows)`),
  negative: prompt(''),
  ...editImages('warm_living_room.png'),
  seed: seed(477315547380083),
  relightStrength: z.number().min(-10).max(10).default(1),
  steps: steps(4),
  cfg: cfg(1),
  shift: z.number().min(0).max(100).default(3),
  sampler: samplerName('euler'),
  scheduler: scheduler('simple'),
  filenamePrefix: z.string().min(1).default('ComfyUI'),
});

/** Prefixes the relight trigger unless the prompt already starts with it. */
export function withRelightTrigger(text: string): string {
  const trimmed = text.trimStart();
  return trimmed.startsWith(RELIGHT_TRIGGER) ? trimmed : `${RELIGHT_TRIGGER}, ${trimmed}`;
}

export const qwenRelight = defineTemplate({
  id: 'qwen-relight',
  version: '1.0.0',
  title: 'Qwen-Image-Edit 2509 relight',
  description: `Relights an image (time of day, colour temperature, light direction) with the 2509 edit model + Relight LoRA; prompts start with the trigger "${RELIGHT_TRIGGER}".`,
  family: 'qwen-image',
  capabilities: ['image_relighting', 'image_editing'],
  params,
  scores: { quality: 0.8, speed: 0.75 },
  variants: [],
  graph(p) {
    const g = new GraphBuilder();
    const { model, clip, vae } = qwenLoaders(g, 'qwen_image_edit_2509_fp8_e4m3fn.safetensors');
    const patched = modelLoras(g, model, [
      { file: 'Qwen-Image-Edit-2509-Lightning-4steps-V1.0-bf16.safetensors', strength: 1, title: 'Lightning LoRA' },
      { file: 'Qwen-Image-Edit-2509-Relight.safetensors', strength: p.relightStrength, title: 'Relight LoRA' },
    ]);
    const sampling = g.node('ModelSamplingAuraFlow', { model: patched, shift: p.shift }, { title: 'ModelSamplingAuraFlow' });
    const norm = g.node('CFGNorm', { model: sampling.out(0), strength: 1 }, { title: 'CFGNorm' });
    const c = editPlusConditioning(g, { clip, vae, ...p, prompt: withRelightTrigger(p.prompt) });
    const sampled = g.node(
      'KSampler',
      { model: norm.out(0), positive: c.positive, negative: c.negative, latent_image: c.latent, seed: p.seed, steps: p.steps, cfg: p.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out(0), vae }, { title: 'VAE Decode' });
    saveImage(g, decoded.out(0), p.filenamePrefix);
    return g.build();
  },
  output: () => ({ kind: 'image' }),
  cost: (p) => ({ steps: p.steps, secondsPerStepRtx4090: QWEN_STEP_SECONDS_1328 * 1.2, workload: KONTEXT_WORKLOAD }),
});
