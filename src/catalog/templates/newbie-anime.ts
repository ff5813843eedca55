import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { saveImage } from './fragments.js';
import { NEWBIE_NEGATIVE, newbiePositive, newbiePromptSchema } from './newbie-prompt.js';
import { cfg, dimension, samplerName, scheduler, seed, steps } from './params.js';

/** NewBie-image Exp0.1 anime text-to-image with XML prompts (reference §7; template image_newbieimage_exp0_1-t2i). */
const params = z.object({
  prompt: newbiePromptSchema.default({
    characters: [
      {
        gender: '1girl',
        appearance: ['blue hair', 'long hair', 'floating hair', 'ahoge', 'blue eyes'],
        clothing: ['witch hat', 'black hat', 'white and blue dress'],
        expression: ['serious', 'intense gaze'],
        action: ['pointing at viewer', 'holding hat'],
        position: ['center', 'foreground', 'extreme close-up'],
      },
    ],
    scene: {
      count: '1girl',
      style: ['anime style', 'digital art', 'illustration'],
      background: ['abstract', 'dark background'],
      lighting: ['cut light', 'dramatic lighting'],
      quality: ['masterpiece', 'best quality', 'highres'],
    },
    caption: 'An anime illustration of a young witch pointing at the viewer, surrounded by swirling blue fluid and crystal petals.',
  }),
  /** Raw positive text; when set it replaces the XML built from `prompt`. */
  rawPrompt: z.string().optional(),
  negative: z.string().default(NEWBIE_NEGATIVE),
  seed: seed(27582042565232),
  width: dimension(1024, 16),
  height: dimension(1536, 16),
  steps: steps(20),
  cfg: cfg(5.5),
  shift: z.number().min(0).max(100).default(6),
  sampler: samplerName('res_multistep'),
  scheduler: scheduler('simple'),
  filenamePrefix: z.string().min(1).default('NewBie-Image-Exp0.1'),
});

export const newbieAnime = defineTemplate({
  id: 'newbie-anime',
  version: '1.0.0',
  title: 'NewBie-image anime (XML prompts)',
  description: 'Anime images from structured XML prompts (characters, appearance, scene tags) with NewBie-image Exp0.1 (3.5B Next-DiT).',
  family: 'newbie',
  capabilities: ['text_to_image', 'anime_generation'],
  params,
  scores: { quality: 0.8, speed: 0.5 },
  variants: [],
  graph(p) {
    const g = new GraphBuilder();
    const unet = g.node('UNETLoader', { unet_name: 'NewBie-Image-Exp0.1-bf16.safetensors', weight_dtype: 'default' }, { title: 'Load Diffusion Model' });
    const clip = g.node(
      'DualCLIPLoader',
      { clip_name1: 'gemma_3_4b_it_bf16.safetensors', clip_name2: 'jina_clip_v2_bf16.safetensors', type: 'newbie', device: 'default' },
      { title: 'Load Text Encoders' },
    );
    const vae = g.node('VAELoader', { vae_name: 'ae.safetensors' }, { title: 'Load VAE' });
    const sampling = g.node('ModelSamplingAuraFlow', { model: unet.out(0), shift: p.shift }, { title: 'ModelSamplingAuraFlow' });
    // The substitution the template does with StringReplace nodes is done here, in one text.
    const positive = g.node('CLIPTextEncode', { clip: clip.out(0), text: p.rawPrompt ?? newbiePositive(p.prompt) }, { title: 'Positive (XML)' });
    const negative = g.node('CLIPTextEncode', { clip: clip.out(0), text: p.negative }, { title: 'Negative' });
    const empty = g.node('EmptySD3LatentImage', { width: p.width, height: p.height, batch_size: 1 }, { title: 'Empty Latent' });
    const sampled = g.node(
      'KSampler',
      { model: sampling.out(0), positive: positive.out(0), negative: negative.out(0), latent_image: empty.out(0), seed: p.seed, steps: p.steps, cfg: p.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out(0), vae: vae.out(0) }, { title: 'VAE Decode' });
    saveImage(g, decoded.out(0), p.filenamePrefix);
    return g.build();
  },
  output: (p) => ({ kind: 'image', width: p.width, height: p.height }),
  cost: (p) => ({ steps: p.steps, secondsPerStepRtx4090: scaleByWork(0.45, { width: 1024, height: 1536 }, { width: p.width, height: p.height }), workload: { width: p.width, height: p.height } }),
});
