import { z } from 'zod';
import { defineTemplate } from './define.js';
import { hunyuan15Cost, hunyuan15Graph, hunyuan15Output, hunyuan15Params } from './hunyuan15-common.js';

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
  graph: (p) =>
    hunyuan15Graph(p, 'hunyuanvideo1.5_720p_t2v_fp16.safetensors', (g, { text }) => {
      const empty = g.node('EmptyHunyuanVideo15Latent', { width: p.width, height: p.height, length: p.length, batch_size: 1 }, { title: 'Empty Video Latent' });
      return { ...text, latent: empty.out(0) };
    }),
  output: hunyuan15Output,
  cost: hunyuan15Cost,
});
