import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveImage } from './fragments.js';
import { cfg, denoise, dimension, inputFile, prompt, samplerName, scheduler, seed, steps } from './params.js';
import type { Capability, TemplateFamily } from './template.js';

/**
 * The classic single-checkpoint image graph (reference §8.1–8.2): CheckpointLoaderSimple →
 * CLIPTextEncode ×2 → KSampler → VAEDecode → SaveImage; img2img encodes an input image and
 * samples with denoise < 1. SD1.5 and SDXL templates are instances of it.
 */
export interface CheckpointImageSpec {
  id: string;
  title: string;
  description: string;
  family: TemplateFamily;
  checkpoint: string;
  size: number;
  steps: number;
  cfg: number;
  sampler: string;
  scheduler: string;
  img2img: boolean;
  /** Seconds per step on a 4090 at `size`². */
  stepSeconds: number;
  scores: { quality: number; speed: number };
  /** SDXL: base + refiner as a two-pass KSamplerAdvanced split (ComfyUI_examples sdxl_simple_example). */
  refiner?: string;
}

/** What a model family's text-to-image and image-to-image templates share. */
type CheckpointFamily = Pick<CheckpointImageSpec, 'family' | 'checkpoint' | 'size' | 'steps' | 'cfg' | 'sampler' | 'scheduler' | 'stepSeconds' | 'scores'>;

export const SD15: CheckpointFamily = {
  family: 'sd15',
  checkpoint: 'v1-5-pruned-emaonly-fp16.safetensors',
  size: 512,
  steps: 20,
  cfg: 8,
  sampler: 'euler',
  scheduler: 'normal',
  stepSeconds: 0.045,
  scores: { quality: 0.4, speed: 0.95 },
};

export const SDXL: CheckpointFamily = {
  family: 'sdxl',
  checkpoint: 'sd_xl_base_1.0.safetensors',
  size: 1024,
  steps: 25,
  cfg: 8,
  sampler: 'euler',
  scheduler: 'normal',
  stepSeconds: 0.16,
  scores: { quality: 0.65, speed: 0.7 },
};

export function checkpointImageTemplate(spec: CheckpointImageSpec) {
  const params = z.object({
    prompt: prompt('beautiful scenery nature glass bottle landscape, , purple galaxy bottle,'),
    negative: prompt('text, watermark'),
    seed: seed(156680208700286),
    width: dimension(spec.size, 8),
    height: dimension(spec.size, 8),
    batchSize: z.number().int().min(1).max(64).default(1),
    steps: steps(spec.steps),
    cfg: cfg(spec.cfg),
    sampler: samplerName(spec.sampler),
    scheduler: scheduler(spec.scheduler),
    denoise: denoise(spec.img2img ? 0.75 : 1),
    image: spec.img2img ? inputFile('example.png') : z.undefined().optional(),
    checkpoint: z.string().min(1).default(spec.checkpoint),
    /** Run the SDXL refiner for the last `refinerSteps` steps (0 = base only). */
    refinerSteps: spec.refiner ? z.number().int().min(0).default(0) : z.undefined().optional(),
    filenamePrefix: z.string().min(1).default('ComfyUI'),
  });
  const capabilities: Capability[] = spec.img2img ? ['image_editing'] : ['text_to_image'];
  return defineTemplate({
    id: spec.id,
    version: '1.0.0',
    title: spec.title,
    description: spec.description,
    family: spec.family,
    capabilities,
    params,
    scores: spec.scores,
    variants: spec.refiner ? [{ id: 'refiner', kind: 'quality', description: 'base 20 + refiner 5 steps of 25 (two-pass split)', params: { steps: 25, refinerSteps: 5 } }] : [],
    graph(p) {
      const g = new GraphBuilder();
      const ckpt = g.node('CheckpointLoaderSimple', { ckpt_name: p.checkpoint }, { title: 'Load Checkpoint' });
      const text = encodePair(g, ckpt.out('CLIP'), p.prompt, p.negative);
      let latent;
      if (typeof p.image === 'string') {
        const image = g.node('LoadImage', { image: p.image }, { title: 'Input Image' });
        const scaled = g.node('ImageScale', { image: image.out('IMAGE'), upscale_method: 'lanczos', width: p.width, height: p.height, crop: 'center' }, { title: 'Scale Image' });
        const encoded = g.node('VAEEncode', { pixels: scaled.out(0), vae: ckpt.out('VAE') }, { title: 'VAE Encode' });
        latent = p.batchSize > 1 ? g.node('RepeatLatentBatch', { samples: encoded.out(0), amount: p.batchSize }, { title: 'Repeat Latent' }).out(0) : encoded.out(0);
      } else {
        latent = g.node('EmptyLatentImage', { width: p.width, height: p.height, batch_size: p.batchSize }, { title: 'Empty Latent Image' }).out(0);
      }
      const common = { seed: p.seed, steps: p.steps, cfg: p.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never };
      let samples;
      let vae = ckpt.out('VAE');
      const refinerSteps = typeof p.refinerSteps === 'number' ? Math.min(p.refinerSteps, p.steps - 1) : 0;
      if (spec.refiner && refinerSteps > 0) {
        const split = p.steps - refinerSteps;
        const refiner = g.node('CheckpointLoaderSimple', { ckpt_name: spec.refiner }, { title: 'Load Refiner' });
        const refText = encodePair(g, refiner.out('CLIP'), p.prompt, p.negative);
        const { seed: noiseSeed, ...rest } = common;
        const base = g.node(
          'KSamplerAdvanced',
          { ...rest, model: ckpt.out('MODEL'), ...text, latent_image: latent, add_noise: 'enable', noise_seed: noiseSeed, start_at_step: 0, end_at_step: split, return_with_leftover_noise: 'enable' },
          { title: 'KSamplerAdvanced (base)' },
        );
        const refined = g.node(
          'KSamplerAdvanced',
          { ...rest, model: refiner.out('MODEL'), ...refText, latent_image: base.out(0), add_noise: 'disable', noise_seed: 0, start_at_step: split, end_at_step: 10000, return_with_leftover_noise: 'disable' },
          { title: 'KSamplerAdvanced (refiner)' },
        );
        samples = refined.out(0);
        vae = refiner.out('VAE');
      } else {
        samples = g.node('KSampler', { ...common, model: ckpt.out('MODEL'), ...text, latent_image: latent, denoise: p.denoise }, { title: 'KSampler' }).out(0);
      }
      const decoded = g.node('VAEDecode', { samples, vae }, { title: 'VAE Decode' });
      saveImage(g, decoded.out(0), p.filenamePrefix);
      return g.build();
    },
    output: (p) => (p.batchSize > 1 ? { kind: 'images', frames: p.batchSize, width: p.width, height: p.height } : { kind: 'image', width: p.width, height: p.height }),
    cost: (p) => ({
      steps: spec.img2img ? Math.max(1, Math.round(p.steps * p.denoise)) : p.steps,
      secondsPerStepRtx4090: scaleByWork(spec.stepSeconds, { width: spec.size, height: spec.size, frames: 1 }, { width: p.width, height: p.height, frames: p.batchSize }),
      workload: { width: p.width, height: p.height, batch: p.batchSize },
    }),
  });
}
