import { z } from 'zod';
import { defineTemplate } from './define.js';
import { inputFile } from './params.js';
import { splitWithinSteps, wan14bCost, wan14bGraph, wan14bOutput, wan14bParams } from './wan22-two-pass.js';

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
  graph: (p) =>
    wan14bGraph(p, FILES, (g, { text, vae, length }) => {
      const start = g.node('LoadImage', { image: p.startImage }, { title: 'Start Image' });
      const end = g.node('LoadImage', { image: p.endImage }, { title: 'End Image' });
      const fun = g.node(
        'WanFunInpaintToVideo',
        { ...text, vae, start_image: start.out('IMAGE'), end_image: end.out('IMAGE'), width: p.width, height: p.height, length, batch_size: 1 },
        { title: 'WanFunInpaintToVideo' },
      );
      return { positive: fun.out('positive'), negative: fun.out('negative'), latent: fun.out('latent') };
    }),
  output: wan14bOutput,
  cost: (p) => wan14bCost(p, 25),
});
