import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { customSampler, HUNYUAN15_PROMPT, hunyuan15Encoders } from './hunyuan15-common.js';
import { cfg, dimension, fps, inputFile, prompt, samplerName, scheduler, seed, steps, videoLength } from './params.js';

/**
 * HunyuanVideo 1.5 super-resolution stage (reference §5.4): a 480p/720p clip is encoded, its
 * latent upscaled with the latent upsampler, and refined by the distilled 1080p SR model. The
 * node structure follows the core schemas; the numbers (8 steps, cfg 1, noise augmentation 0.7)
 * are the third-party values the reference marks unverified.
 */
const params = z.object({
  video: inputFile('hunyuan_video_1.5_00001_.mp4'),
  /** Frames of the input clip (for the output description; the graph uses all of them). */
  length: videoLength.default(121),
  /** The conditioning image of an I2V clip; improves identity in the upscale. */
  image: z.string().min(1).optional(),
  prompt: prompt(HUNYUAN15_PROMPT),
  negative: prompt(''),
  seed: seed(881192839971727),
  width: dimension(1920, 16),
  height: dimension(1088, 16),
  fps: fps(24),
  noiseAugmentation: z.number().min(0).max(1).default(0.7),
  steps: steps(8),
  cfg: cfg(1),
  shift: z.number().min(0).max(100).default(7),
  sampler: samplerName('euler'),
  scheduler: scheduler('simple'),
  upscaleMethod: z.enum(['nearest-exact', 'bilinear', 'area', 'bicubic', 'bislerp']).default('bilinear'),
  filenamePrefix: z.string().min(1).default('video/hunyuan_video_1.5_sr'),
});

export const hunyuan15Sr = defineTemplate({
  id: 'hunyuan15-sr',
  version: '1.0.0',
  title: 'HunyuanVideo 1.5 super-resolution (1080p)',
  description: 'Upscales a HunyuanVideo 1.5 clip to 1080p: latent upsampler + the distilled SR model (8 steps, cfg 1). A stage after hunyuan15-t2v/i2v.',
  family: 'hunyuan15',
  capabilities: ['super_resolution'],
  params,
  scores: { quality: 0.85, speed: 0.35 },
  variants: [{ id: '720p', kind: 'low-memory', description: 'upscale to 1280×720 instead of 1080p', params: { width: 1280, height: 720 } }],
  graph(p) {
    const g = new GraphBuilder();
    const unet = g.node('UNETLoader', { unet_name: 'hunyuanvideo1.5_1080p_sr_distilled_fp16.safetensors', weight_dtype: 'default' }, { title: 'Load SR Diffusion Model' });
    const { clip, vae } = hunyuan15Encoders(g);
    const text = encodePair(g, clip, p.prompt, p.negative);
    const video = g.node('LoadVideo', { file: p.video }, { title: 'Load Video' });
    const parts = g.node('GetVideoComponents', { video: video.out(0) }, { title: 'Get Video Components' });
    const encoded = g.node('VAEEncode', { pixels: parts.out('images'), vae }, { title: 'VAE Encode' });
    const upsampler = g.node('LatentUpscaleModelLoader', { model_name: 'hunyuanvideo15_latent_upsampler_1080p.safetensors' }, { title: 'Load Latent Upsampler' });
    const upscaled = g.node(
      'HunyuanVideo15LatentUpscaleWithModel',
      { model: upsampler.out(0), samples: encoded.out(0), upscale_method: p.upscaleMethod, width: p.width, height: p.height, crop: 'disabled' },
      { title: 'Latent Upscale' },
    );
    const image = p.image === undefined ? undefined : g.node('LoadImage', { image: p.image }, { title: 'Start Image' }).out('IMAGE');
    const sr = g.node(
      'HunyuanVideo15SuperResolution',
      { ...text, vae, start_image: image, latent: upscaled.out(0), noise_augmentation: p.noiseAugmentation },
      { title: 'HunyuanVideo15SuperResolution' },
    );
    const latent = customSampler(g, { ...p, model: unet.out(0), positive: sr.out(0), negative: sr.out(1), latent: sr.out(2), label: 'SR' });
    const decoded = g.node('VAEDecodeTiled', { samples: latent, vae, tile_size: 512, overlap: 64, temporal_size: 64, temporal_overlap: 8 }, { title: 'VAE Decode (Tiled)' });
    saveVideo(g, decoded.out(0), { fps: p.fps, prefix: p.filenamePrefix, codec: 'h264' });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: p.length, fps: p.fps, width: p.width, height: p.height }),
  cost: (p) => ({
    steps: p.steps,
    secondsPerStepRtx4090: scaleByWork(14, { width: 848, height: 480, frames: 121 }, { width: p.width, height: p.height, frames: p.length }),
    workload: { width: p.width, height: p.height, frames: p.length },
  }),
});
