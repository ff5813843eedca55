import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { customSampler, HUNYUAN15_BASE_STEP, hunyuan15Encoders, hunyuan15Params } from './hunyuan15-common.js';

/** HunyuanVideo 1.5 text-to-video (reference §5.2; template video_hunyuan_video_1.5_720p_t2v). */
const params = z.object(hunyuan15Params({ negative: '' }));

export const hunyuan15T2v = defineTemplate({
  id: 'hunyuan15-t2v',
  version: '1.0.0',
  title: 'HunyuanVideo 1.5 text to video',
  description: 'HunyuanVideo 1.5 (8.3B) text to video: 121 frames at 24 fps (≈5 s), 848×480 by default, real CFG with a negative prompt.',
  family: 'hunyuan15',
  capabilities: ['text_to_video'],
  params,
  scores: { quality: 0.85, speed: 0.3 },
  variants: [{ id: 'easycache', kind: 'fast', description: 'EasyCache on the model (reuses steps)', params: { easyCache: true } }],
  graph(p) {
    const g = new GraphBuilder();
    const unet = g.node('UNETLoader', { unet_name: 'hunyuanvideo1.5_720p_t2v_fp16.safetensors', weight_dtype: 'default' }, { title: 'Load Diffusion Model' });
    const { clip, vae } = hunyuan15Encoders(g);
    const text = encodePair(g, clip, p.prompt, p.negative);
    const empty = g.node('EmptyHunyuanVideo15Latent', { width: p.width, height: p.height, length: p.length, batch_size: 1 }, { title: 'Empty Video Latent' });
    const latent = customSampler(g, { ...p, model: unet.out(0), ...text, latent: empty.out(0) });
    const decoded = g.node('VAEDecode', { samples: latent, vae }, { title: 'VAE Decode' });
    saveVideo(g, decoded.out(0), { fps: p.fps, prefix: p.filenamePrefix, codec: 'h264' });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: p.length, fps: p.fps, width: p.width, height: p.height }),
  cost: (p) => ({
    steps: p.steps,
    secondsPerStepRtx4090: scaleByWork(HUNYUAN15_BASE_STEP.seconds, HUNYUAN15_BASE_STEP.at, { width: p.width, height: p.height, frames: p.length }),
    workload: { width: p.width, height: p.height, frames: p.length },
  }),
});
