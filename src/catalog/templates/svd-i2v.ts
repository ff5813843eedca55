import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { saveVideo } from './fragments.js';
import { dimension, inputFile, samplerName, scheduler, seed, steps } from './params.js';

/** Stable Video Diffusion XT image-to-video (ComfyUI_examples video/image_to_video): 25 frames at 1024×576. */
const params = z.object({
  image: inputFile('input.png'),
  seed: seed(0),
  width: dimension(1024, 8),
  height: dimension(576, 8),
  frames: z.number().int().min(1).max(4096).default(25),
  /** Frame rate the model is conditioned on, and the output frame rate. */
  fps: z.number().int().min(1).max(1024).default(6),
  motionBucketId: z.number().int().min(1).max(1023).default(127),
  augmentationLevel: z.number().min(0).max(10).default(0),
  minCfg: z.number().min(0).max(100).default(1),
  steps: steps(20),
  cfg: z.number().min(0).max(100).default(2.5),
  sampler: samplerName('euler'),
  scheduler: scheduler('karras'),
  filenamePrefix: z.string().min(1).default('video/svd'),
});

export const svdI2v = defineTemplate({
  id: 'svd-i2v',
  version: '1.0.0',
  title: 'Stable Video Diffusion XT image to video',
  description: 'Short camera/subject motion from one image with SVD XT (no prompt): 25 frames at 6 fps.',
  family: 'svd',
  capabilities: ['image_to_video'],
  params,
  scores: { quality: 0.45, speed: 0.6 },
  variants: [],
  graph(p) {
    const g = new GraphBuilder();
    const ckpt = g.node('ImageOnlyCheckpointLoader', { ckpt_name: 'svd_xt.safetensors' }, { title: 'Image Only Checkpoint Loader' });
    const image = g.node('LoadImage', { image: p.image }, { title: 'Start Image' });
    const guided = g.node('VideoLinearCFGGuidance', { model: ckpt.out('MODEL'), min_cfg: p.minCfg }, { title: 'VideoLinearCFGGuidance' });
    const cond = g.node(
      'SVD_img2vid_Conditioning',
      { clip_vision: ckpt.out('CLIP_VISION'), init_image: image.out('IMAGE'), vae: ckpt.out('VAE'), width: p.width, height: p.height, video_frames: p.frames, motion_bucket_id: p.motionBucketId, fps: p.fps, augmentation_level: p.augmentationLevel },
      { title: 'SVD_img2vid_Conditioning' },
    );
    const sampled = g.node(
      'KSampler',
      { model: guided.out(0), positive: cond.out('positive'), negative: cond.out('negative'), latent_image: cond.out('latent'), seed: p.seed, steps: p.steps, cfg: p.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const decoded = g.node('VAEDecode', { samples: sampled.out(0), vae: ckpt.out('VAE') }, { title: 'VAE Decode' });
    saveVideo(g, decoded.out(0), { fps: p.fps, prefix: p.filenamePrefix });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: p.frames, fps: p.fps, width: p.width, height: p.height }),
  cost: (p) => ({ steps: p.steps, secondsPerStepRtx4090: scaleByWork(1.6, { width: 1024, height: 576, frames: 25 }, { width: p.width, height: p.height, frames: p.frames }), workload: { width: p.width, height: p.height, frames: p.frames } }),
});
