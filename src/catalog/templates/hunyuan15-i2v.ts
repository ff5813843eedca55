import { z } from 'zod';
import { defineTemplate } from './define.js';
import { hunyuan15Cost, hunyuan15Graph, hunyuan15Output, hunyuan15Params } from './hunyuan15-common.js';
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
  graph: (p) =>
    hunyuan15Graph(p, 'hunyuanvideo1.5_720p_i2v_fp16.safetensors', (g, { text, vae }) => {
      const vision = g.node('CLIPVisionLoader', { clip_name: 'sigclip_vision_patch14_384.safetensors' }, { title: 'Load CLIP Vision' });
      const image = g.node('LoadImage', { image: p.image }, { title: 'Start Image' });
      const encoded = g.node('CLIPVisionEncode', { clip_vision: vision.out(0), image: image.out('IMAGE'), crop: 'center' }, { title: 'CLIP Vision Encode' });
      const i2v = g.node(
        'HunyuanVideo15ImageToVideo',
        { ...text, vae, start_image: image.out('IMAGE'), clip_vision_output: encoded.out(0), width: p.width, height: p.height, length: p.length, batch_size: 1 },
        { title: 'HunyuanVideo15ImageToVideo' },
      );
      return { positive: i2v.out('positive'), negative: i2v.out('negative'), latent: i2v.out('latent') };
    }),
  output: hunyuan15Output,
  cost: hunyuan15Cost,
});
