import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { cfg, dimension, fps, framesFor, prompt, samplerName, scheduler, seed, steps, videoLength, WAN_NEGATIVE } from './params.js';
import { wanEncoders } from './wan22-two-pass.js';

/** Wan 2.2 5B text/image-to-video, one model, no split (reference §3.2; ComfyUI_examples wan22 5B). */
const params = z.object({
  prompt: prompt('a cute anime girl with fennec ears and a fluffy tail walking in a beautiful field'),
  negative: prompt(WAN_NEGATIVE),
  /** A start image in input/ turns text-to-video into image-to-video. */
  image: z.string().min(1).optional(),
  seed: seed(869177064731501),
  // Wan22ImageToVideoLatent is ÷16 spatially: width/height step 32.
  width: dimension(1280, 32, 32),
  height: dimension(704, 32, 32),
  duration: z.number().positive().max(60).default(5),
  fps: fps(24),
  /** Explicit frame count (4n+1); overrides `duration`. The docs' optimum is 121. */
  length: videoLength.optional(),
  steps: steps(30),
  cfg: cfg(5),
  shift: z.number().min(0).max(100).default(8),
  sampler: samplerName('uni_pc'),
  scheduler: scheduler('simple'),
  filenamePrefix: z.string().min(1).default('video/ComfyUI'),
});

const frames = (p: { length?: number | undefined; duration: number; fps: number }) => p.length ?? framesFor(p.duration, p.fps);

export const wan22Ti2v5b = defineTemplate({
  id: 'wan22-ti2v-5b',
  version: '1.0.0',
  title: 'Wan 2.2 5B text/image to video',
  description: 'The small Wan 2.2 model: text to video, or image to video when `image` is set. 1280×704 at 24 fps; fits 8 GB with offloading.',
  family: 'wan22-5b',
  capabilities: ['text_to_video', 'image_to_video'],
  params,
  scores: { quality: 0.65, speed: 0.55 },
  variants: [{ id: 'draft', kind: 'fast', description: 'the examples\' quick first run: 41 frames, 20 steps', params: { length: 41, steps: 20 } }],
  graph(p) {
    const g = new GraphBuilder();
    const unet = g.node('UNETLoader', { unet_name: 'wan2.2_ti2v_5B_fp16.safetensors', weight_dtype: 'default' }, { title: 'Load Diffusion Model' });
    const { clip, vae } = wanEncoders(g, 'wan2.2_vae.safetensors');
    const model = g.node('ModelSamplingSD3', { model: unet.out(0), shift: p.shift }, { title: 'ModelSamplingSD3' });
    const text = encodePair(g, clip, p.prompt, p.negative);
    const image = p.image === undefined ? undefined : g.node('LoadImage', { image: p.image }, { title: 'Start Image' }).out('IMAGE');
    const latent = g.node('Wan22ImageToVideoLatent', { vae, start_image: image, width: p.width, height: p.height, length: frames(p), batch_size: 1 }, { title: 'Wan22ImageToVideoLatent' });
    const sampled = g.node(
      'KSampler',
      { model: model.out(0), ...text, latent_image: latent.out(0), seed: p.seed, steps: p.steps, cfg: p.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out(0), vae }, { title: 'VAE Decode' });
    saveVideo(g, decoded.out(0), { fps: p.fps, prefix: p.filenamePrefix });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: frames(p), fps: p.fps, width: p.width, height: p.height }),
  cost: (p) => ({
    steps: p.steps,
    secondsPerStepRtx4090: scaleByWork(9, { width: 1280, height: 704, frames: 121 }, { width: p.width, height: p.height, frames: frames(p) }),
    workload: { width: p.width, height: p.height, frames: frames(p) },
  }),
});
