import { z } from 'zod';
import { defineTemplate } from './define.js';
import { inputFile } from './params.js';
import { splitWithinSteps, wan14bCost, wan14bGraph, wan14bOutput, wan14bParams } from './wan22-two-pass.js';

/** Wan 2.2 14B image-to-video, two experts (reference §2.2–2.4; template video_wan2_2_14B_i2v). */
const params = z
  .object({
    ...wan14bParams({
      prompt:
        'The white dragon warrior stands still, eyes full of determination and strength. The camera slowly moves closer or circles around the warrior, highlighting the powerful presence and heroic spirit of the character.',
      width: 640,
      height: 640,
      filenamePrefix: 'video/Wan2.2_i2v',
    }),
    image: inputFile('video_wan2_2_14B_i2v_input_image.jpg'),
  })
  .refine(splitWithinSteps, { message: 'splitStep must be between 1 and steps − 1', path: ['splitStep'] });

const files = (precision: 'fp8_scaled' | 'fp16') => ({
  high: { unet: `wan2.2_i2v_high_noise_14B_${precision}.safetensors`, lora: 'wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors' },
  low: { unet: `wan2.2_i2v_low_noise_14B_${precision}.safetensors`, lora: 'wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors' },
});

export const wan22I2v14b = defineTemplate({
  id: 'wan22-i2v-14b',
  version: '1.0.0',
  title: 'Wan 2.2 14B image to video',
  description: 'Animates a start image with the Wan 2.2 14B high-noise and low-noise experts (two KSamplerAdvanced passes). 5 s = 81 frames at 16 fps.',
  family: 'wan22-14b',
  capabilities: ['image_to_video'],
  params,
  scores: { quality: 0.9, speed: 0.2 },
  variants: [
    { id: 'lightning', kind: 'fast', description: '4-step lightx2v LoRAs: 4 steps, cfg 1, split 2 (≈5× faster on a 4090)', params: { lightning: true } },
    { id: '10s', kind: 'alternative', description: '10 s clip: 161 frames at 16 fps', params: { duration: 10 } },
    { id: 'low-high', kind: 'alternative', description: 'unofficial: low-noise expert first (expect worse motion)', params: { expertOrder: 'low-high' } },
    { id: 'fp16', kind: 'quality', description: 'fp16 experts (28.6 GB each) instead of fp8_scaled', params: { precision: 'fp16' } },
  ],
  graph: (p) =>
    wan14bGraph(p, files(p.precision), (g, { text, vae, length }) => {
      const image = g.node('LoadImage', { image: p.image }, { title: 'Start Image' });
      const i2v = g.node('WanImageToVideo', { ...text, vae, start_image: image.out('IMAGE'), width: p.width, height: p.height, length, batch_size: 1 }, { title: 'WanImageToVideo' });
      return { positive: i2v.out('positive'), negative: i2v.out('negative'), latent: i2v.out('latent') };
    }),
  output: wan14bOutput,
  // Template note, RTX 4090D 640×640×81 fp8: ≈513 s warm for 20 steps (≈24 s/step after loads).
  cost: (p) => wan14bCost(p, 24),
});
