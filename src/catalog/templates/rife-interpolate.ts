import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { saveVideo } from './fragments.js';
import { inputFile } from './params.js';

/** RIFE frame interpolation of a clip (reference §9.1; Fannovel16/ComfyUI-Frame-Interpolation "RIFE VFI"). */
const params = z.object({
  video: inputFile('clip.mp4'),
  /** Frames and frame rate of the input clip (e.g. a Wan clip: 81 at 16 fps). */
  frames: z.number().int().min(2).default(81),
  fps: z.number().min(1).max(120).default(16),
  multiplier: z.number().int().min(2).max(16).default(2),
  checkpoint: z.enum(['rife47.pth', 'rife49.pth', 'rife417.pth', 'rife426.pth']).default('rife49.pth'),
  clearCacheAfterNFrames: z.number().int().min(1).max(1000).default(10),
  dtype: z.enum(['float32', 'float16', 'bfloat16']).default('float32'),
  filenamePrefix: z.string().min(1).default('video/rife'),
});

type Params = z.output<typeof params>;
/** RIFE inserts multiplier−1 frames between each pair: (N−1)·m + 1. */
export const interpolatedFrames = (p: Pick<Params, 'frames' | 'multiplier'>) => (p.frames - 1) * p.multiplier + 1;

export const rifeInterpolate = defineTemplate({
  id: 'rife-interpolate',
  version: '1.0.0',
  title: 'RIFE frame interpolation',
  description: 'Multiplies the frame rate of a clip with RIFE (16 → 32 fps by default): (N−1)·multiplier + 1 frames.',
  family: 'rife',
  capabilities: ['frame_interpolation'],
  params,
  scores: { quality: 0.7, speed: 0.9 },
  variants: [{ id: 'x4', kind: 'alternative', description: '4× frames (16 → 64 fps)', params: { multiplier: 4 } }],
  graph(p) {
    const g = new GraphBuilder();
    const video = g.node('LoadVideo', { file: p.video }, { title: 'Load Video' });
    const parts = g.node('GetVideoComponents', { video: video.out(0) }, { title: 'Get Video Components' });
    const rife = g.node(
      'RIFE VFI',
      {
        ckpt_name: p.checkpoint,
        frames: parts.out('images'),
        clear_cache_after_n_frames: p.clearCacheAfterNFrames,
        multiplier: p.multiplier,
        fast_mode: true,
        ensemble: true,
        scale_factor: 1,
        dtype: p.dtype,
        torch_compile: false,
        batch_size: 1,
      },
      { title: 'RIFE VFI' },
    );
    saveVideo(g, rife.out(0), { fps: p.fps * p.multiplier, prefix: p.filenamePrefix });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: interpolatedFrames(p), fps: p.fps * p.multiplier }),
  // Per step = per interpolated frame here.
  cost: (p) => ({ steps: interpolatedFrames(p) - p.frames, secondsPerStepRtx4090: 0.02 }),
});
