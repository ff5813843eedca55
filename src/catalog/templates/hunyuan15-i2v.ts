import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { customSampler, HUNYUAN15_BASE_STEP, hunyuan15Encoders, hunyuan15Params } from './hunyuan15-common.js';
import { inputFile } from './params.js';

/** HunyuanVideo 1.5 image-to-video (reference §5.3; template video_hunyuan_video_1.5_720p_i2v). */
const params = z.object({ ...hunyuan15Params({ negative: 'blurry ' }), image: inputFile('input.png') });

export const hunyuan15I2v = defineTemplate({
  id: 'hunyuan15-i2v',
  version: '1.0.0',
  title: 'HunyuanVideo 1.5 image to video',
  description: 'Animates a start image with HunyuanVideo 1.5 (SigCLIP vision conditioning): 121 frames at 24 fps, 848×480 by default.',
  family: 'hunyuan15',
  capabilities: ['image_to_video'],
  params,
  scores: { quality: 0.85, speed: 0.3 },
  variants: [{ id: 'easycache', kind: 'fast', description: 'EasyCache on the model (reuses steps)', params: { easyCache: true } }],
  graph(p) {
    const g = new GraphBuilder();
    const unet = g.node('UNETLoader', { unet_name: 'hunyuanvideo1.5_720p_i2v_fp16.safetensors', weight_dtype: 'default' }, { title: 'Load Diffusion Model' });
    const { clip, vae } = hunyuan15Encoders(g);
    const text = encodePair(g, clip, p.prompt, p.negative);
    const vision = g.node('CLIPVisionLoader', { clip_name: 'sigclip_vision_patch14_384.safetensors' }, { title: 'Load CLIP Vision' });
    const image = g.node('LoadImage', { image: p.image }, { title: 'Start Image' });
    const encoded = g.node('CLIPVisionEncode', { clip_vision: vision.out(0), image: image.out('IMAGE'), crop: 'center' }, { title: 'CLIP Vision Encode' });
    const i2v = g.node(
      'HunyuanVideo15ImageToVideo',
      { ...text, vae, start_image: image.out('IMAGE'), clip_vision_output: encoded.out(0), width: p.width, height: p.height, length: p.length, batch_size: 1 },
      { title: 'HunyuanVideo15ImageToVideo' },
    );
    const latent = customSampler(g, { ...p, model: unet.out(0), positive: i2v.out('positive'), negative: i2v.out('negative'), latent: i2v.out('latent') });
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
