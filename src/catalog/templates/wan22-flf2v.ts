import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { inputFile } from './params.js';
import { splitWithinSteps, wan14bParams, wanEncoders, wanSchedule, wanTwoPass } from './wan22-two-pass.js';

/**
 * Wan 2.2 14B Fun Inpaint: a clip between a first and a last frame (reference §4.2; template
 * video_wan2_2_14B_fun_inpaint). "Fun Inpaint" is first/last-frame interpolation, not masking.
 */
const base = wan14bParams({ prompt: 'A smooth, natural transition between the first and the last frame.', width: 640, height: 640, filenamePrefix: 'video/ComfyUI' });
const params = z
  .object({
    ...base,
    shift: base.shift.removeDefault().default(8),
    startImage: inputFile('video_wan2_2_14B_fun_inpaint_start_image.png'),
    endImage: inputFile('video_wan2_2_14B_fun_inpaint_end_image.png'),
    precision: z.enum(['fp8_scaled']).default('fp8_scaled'),
  })
  .refine(splitWithinSteps, { message: 'splitStep must be between 1 and steps − 1', path: ['splitStep'] });

const FILES = {
  high: { unet: 'wan2.2_fun_inpaint_high_noise_14B_fp8_scaled.safetensors', lora: 'wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors' },
  low: { unet: 'wan2.2_fun_inpaint_low_noise_14B_fp8_scaled.safetensors', lora: 'wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors' },
};

export const wan22Flf2v = defineTemplate({
  id: 'wan22-flf2v',
  version: '1.0.0',
  title: 'Wan 2.2 14B first/last frame to video',
  description: 'Generates the motion between a start and an end image with the Wan 2.2 Fun Inpaint experts (two passes, shift 8).',
  family: 'wan22-14b',
  capabilities: ['image_to_video'],
  params,
  scores: { quality: 0.85, speed: 0.2 },
  variants: [
    { id: 'lightning', kind: 'fast', description: 'the template\'s active copy: I2V 4-step LoRAs, 4 steps, cfg 1, split 2', params: { lightning: true } },
    { id: '10s', kind: 'alternative', description: '10 s clip: 161 frames at 16 fps', params: { duration: 10 } },
  ],
  graph(p) {
    const s = wanSchedule(p);
    const g = new GraphBuilder();
    const { clip, vae } = wanEncoders(g);
    const text = encodePair(g, clip, p.prompt, p.negative);
    const start = g.node('LoadImage', { image: p.startImage }, { title: 'Start Image' });
    const end = g.node('LoadImage', { image: p.endImage }, { title: 'End Image' });
    const fun = g.node(
      'WanFunInpaintToVideo',
      { ...text, vae, start_image: start.out('IMAGE'), end_image: end.out('IMAGE'), width: p.width, height: p.height, length: s.length, batch_size: 1 },
      { title: 'WanFunInpaintToVideo' },
    );
    const latent = wanTwoPass(g, { ...FILES, ...p, steps: s.steps, cfg: s.cfg, split: s.split, positive: fun.out('positive'), negative: fun.out('negative'), latent: fun.out('latent') });
    const decoded = g.node('VAEDecode', { samples: latent, vae }, { title: 'VAE Decode' });
    saveVideo(g, decoded.out(0), { fps: p.fps, prefix: p.filenamePrefix });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: wanSchedule(p).length, fps: p.fps, width: p.width, height: p.height }),
  cost(p) {
    const s = wanSchedule(p);
    return {
      steps: s.steps,
      secondsPerStepRtx4090: scaleByWork(25, { width: 640, height: 640, frames: 81 }, { width: p.width, height: p.height, frames: s.length }),
      workload: { width: p.width, height: p.height, frames: s.length },
    };
  },
});
