import { z } from 'zod';
import { defineTemplate } from './define.js';
import { splitWithinSteps, wan14bCost, wan14bGraph, wan14bOutput, wan14bParams } from './wan22-two-pass.js';

/** Wan 2.2 14B text-to-video, two experts (reference §3.1; current template video_wan2_2_14B_t2v at 640×640, shift 5). */
const params = z
  .object(
    wan14bParams({
      prompt:
        'Beautiful young European woman with honey blonde hair gracefully turning her head back over shoulder, gentle smile, bright eyes looking at camera. Hair flowing in slow motion as she turns. Soft natural lighting, clean background, cinematic slow-motion portrait.',
      width: 640,
      height: 640,
      filenamePrefix: 'video/ComfyUI',
    }),
  )
  .refine(splitWithinSteps, { message: 'splitStep must be between 1 and steps − 1', path: ['splitStep'] });

const files = (precision: 'fp8_scaled' | 'fp16') => ({
  high: { unet: `wan2.2_t2v_high_noise_14B_${precision}.safetensors`, lora: 'wan2.2_t2v_lightx2v_4steps_lora_v1.1_high_noise.safetensors' },
  low: { unet: `wan2.2_t2v_low_noise_14B_${precision}.safetensors`, lora: 'wan2.2_t2v_lightx2v_4steps_lora_v1.1_low_noise.safetensors' },
});

export const wan22T2v14b = defineTemplate({
  id: 'wan22-t2v-14b',
  version: '1.0.0',
  title: 'Wan 2.2 14B text to video',
  description: 'Text to video with the Wan 2.2 14B high-noise and low-noise experts (two KSamplerAdvanced passes). 5 s = 81 frames at 16 fps.',
  family: 'wan22-14b',
  capabilities: ['text_to_video'],
  params,
  scores: { quality: 0.9, speed: 0.2 },
  variants: [
    { id: 'lightning', kind: 'fast', description: '4-step lightx2v v1.1 LoRAs: 4 steps, cfg 1, split 2', params: { lightning: true } },
    { id: '10s', kind: 'alternative', description: '10 s clip: 161 frames at 16 fps', params: { duration: 10 } },
    { id: 'low-high', kind: 'alternative', description: 'unofficial: low-noise expert first', params: { expertOrder: 'low-high' } },
    { id: 'fp16', kind: 'quality', description: 'fp16 experts instead of fp8_scaled', params: { precision: 'fp16' } },
  ],
  graph: (p) =>
    wan14bGraph(p, files(p.precision), (g, { text, length }) => {
      const empty = g.node('EmptyHunyuanLatentVideo', { width: p.width, height: p.height, length, batch_size: 1 }, { title: 'Empty Video Latent' });
      return { ...text, latent: empty.out(0) };
    }),
  output: wan14bOutput,
  cost: (p) => wan14bCost(p, 24),
});
