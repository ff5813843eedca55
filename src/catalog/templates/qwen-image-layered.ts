import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveImage } from './fragments.js';
import { cfg, inputFile, prompt, samplerName, scheduler, seed, steps } from './params.js';
import { QWEN_STEP_SECONDS_1328, qwenLoaders } from './qwen-common.js';

/** Qwen-Image-Layered: image → RGBA layers (reference §6.5; template image_qwen_image_layered). */
const params = z.object({
  image: inputFile('coastal_smiling_woman.png'),
  /** Optional description of the whole image. */
  prompt: prompt(''),
  negative: prompt(''),
  seed: seed(657641993490688),
  /** Layers to split into; the output has layers + 1 images (index 0 is the recomposed image). */
  layers: z.number().int().min(1).max(16).default(2),
  /** Input is scaled so its longest side is this (640 recommended, 1024 for high res). */
  largestSize: z.number().int().min(64).max(4096).default(640),
  steps: steps(20),
  cfg: cfg(2.5),
  shift: z.number().min(0).max(100).default(1),
  sampler: samplerName('euler'),
  scheduler: scheduler('simple'),
  precision: z.enum(['bf16', 'fp8mixed']).default('bf16'),
  filenamePrefix: z.string().min(1).default('Qwen-image-layers'),
});

export const qwenImageLayered = defineTemplate({
  id: 'qwen-image-layered',
  version: '1.0.0',
  title: 'Qwen-Image-Layered (image to layers)',
  description: 'Splits an image into RGBA layers for compositing and parallax; the first output image is the recomposed whole.',
  family: 'qwen-image',
  capabilities: ['layered_generation'],
  params,
  scores: { quality: 0.75, speed: 0.3 },
  variants: [
    { id: 'fp8mixed', kind: 'low-memory', description: 'qwen_image_layered_fp8mixed instead of bf16 (bf16 "requires high VRAM")', params: { precision: 'fp8mixed' } },
    { id: 'high-res', kind: 'quality', description: '1024 px input', params: { largestSize: 1024 } },
  ],
  graph(p) {
    const g = new GraphBuilder();
    const image = g.node('LoadImage', { image: p.image }, { title: 'Input Image' });
    const scaled = g.node('ImageScaleToMaxDimension', { image: image.out('IMAGE'), upscale_method: 'lanczos', largest_size: p.largestSize }, { title: 'Scale To Max Dimension' });
    const { model, clip, vae } = qwenLoaders(g, `qwen_image_layered_${p.precision}.safetensors`, 'qwen_image_layered_vae.safetensors');
    const sampling = g.node('ModelSamplingAuraFlow', { model, shift: p.shift }, { title: 'ModelSamplingAuraFlow' });
    const text = encodePair(g, clip, p.prompt, p.negative);
    const encoded = g.node('VAEEncode', { pixels: scaled.out(0), vae }, { title: 'VAE Encode' });
    const positive = g.node('ReferenceLatent', { conditioning: text.positive, latent: encoded.out(0) }, { title: 'ReferenceLatent (positive)' });
    const negative = g.node('ReferenceLatent', { conditioning: text.negative, latent: encoded.out(0) }, { title: 'ReferenceLatent (negative)' });
    const size = g.node('GetImageSize', { image: scaled.out(0) }, { title: 'Get Image Size' });
    const empty = g.node('EmptyQwenImageLayeredLatentImage', { width: size.out(0), height: size.out(1), layers: p.layers, batch_size: 1 }, { title: 'Empty Layered Latent' });
    const sampled = g.node(
      'KSampler',
      { model: sampling.out(0), positive: positive.out(0), negative: negative.out(0), latent_image: empty.out(0), seed: p.seed, steps: p.steps, cfg: p.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const cut = g.node('LatentCutToBatch', { samples: sampled.out(0), dim: 't', slice_size: 1 }, { title: 'Layers To Batch' });
    const decoded = g.node('VAEDecode', { samples: cut.out(0), vae }, { title: 'VAE Decode' });
    saveImage(g, decoded.out(0), p.filenamePrefix);
    return g.build();
  },
  output: (p) => ({ kind: 'images', frames: p.layers + 1, alpha: true }),
  cost: (p) => ({
    steps: p.steps,
    secondsPerStepRtx4090: scaleByWork(QWEN_STEP_SECONDS_1328, { width: 1328, height: 1328, frames: 1 }, { width: p.largestSize, height: p.largestSize, frames: p.layers + 1 }),
    // The composite and each layer are sampled together; a square input is the largest case.
    workload: { width: p.largestSize, height: p.largestSize, batch: p.layers + 1 },
  }),
});
