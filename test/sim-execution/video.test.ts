import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { ffmpegPath, probeVideo } from '../../src/platform/ffmpeg.js';
import { fontPath } from '../../src/platform/font.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { gpuProfile } from '../../src/catalog/cost/gpu-profiles.js';
import { createNodeExecutor } from '../../src/sim/execution/create-node-executor.js';
import { runGraph, tempDirs } from './run-graph.js';

describe('platform locators', () => {
  it('finds an ffmpeg binary and the bundled fonts', () => {
    expect(existsSync(ffmpegPath())).toBe(true);
    expect(existsSync(fontPath())).toBe(true);
    expect(fontPath('bold')).toMatch(/DejaVuSans-Bold\.ttf$/);
  });
});

describe('video savers', () => {
  it('a Wan 2.2 5B-shaped clip (length 81) is saved as an mp4 of exactly 81 frames at 16 fps', async () => {
    const dirs = tempDirs();
    const graph: ApiGraph = {
      '37': { class_type: 'UNETLoader', inputs: { unet_name: 'wan2.2_ti2v_5B_fp16.safetensors', weight_dtype: 'default' } },
      '38': { class_type: 'CLIPLoader', inputs: { clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', type: 'wan', device: 'default' } },
      '39': { class_type: 'VAELoader', inputs: { vae_name: 'wan2.2_vae.safetensors' } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'A paper boat drifts down a rainy gutter', clip: ['38', 0] } },
      '7': { class_type: 'CLIPTextEncode', inputs: { text: 'static, blurry', clip: ['38', 0] } },
      '55': { class_type: 'Wan22ImageToVideoLatent', inputs: { vae: ['39', 0], width: 64, height: 48, length: 81, batch_size: 1 } },
      '3': {
        class_type: 'KSampler',
        inputs: { model: ['37', 0], seed: 7, steps: 4, cfg: 5, sampler_name: 'uni_pc', scheduler: 'simple', positive: ['6', 0], negative: ['7', 0], latent_image: ['55', 0], denoise: 1 },
      },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['39', 0] } },
      '57': { class_type: 'CreateVideo', inputs: { images: ['8', 0], fps: 16 } },
      '58': { class_type: 'SaveVideo', inputs: { video: ['57', 0], filename_prefix: 'video/ComfyUI', format: 'auto', codec: 'auto' } },
    };
    const run = await runGraph(createNodeExecutor({ gpu: new GpuState(gpuProfile('rtx4090')) }), graph, dirs);
    expect(run.ui['58']).toEqual({ images: [{ filename: 'ComfyUI_00001_.mp4', subfolder: 'video', type: 'output' }], animated: [true] });
    const probe = await probeVideo(join(dirs.output, 'video', 'ComfyUI_00001_.mp4'));
    expect(probe).toMatchObject({ frames: 81, fps: 16, width: 64, height: 48, codec: 'h264' });
    expect(run.progress['3']).toHaveLength(4);
  });

  it('fixture 10: EmptyImage blend → CreateVideo → SaveVideo + SaveAnimatedWEBP report the recorded shapes', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/comfyui/10-video.json', import.meta.url), 'utf8')) as {
      events: { kind: string; request?: { path: string; json?: { prompt?: ApiGraph } }; json?: { type?: string; data?: { node: string; output: unknown } } }[];
    };
    const graph = fixture.events.find((e) => e.kind === 'http' && e.request?.path === '/prompt')!.request!.json!.prompt!;
    const recorded = Object.fromEntries(fixture.events.filter((e) => e.json?.type === 'executed').map((e) => [e.json!.data!.node, e.json!.data!.output]));
    const dirs = tempDirs();
    const run = await runGraph(createNodeExecutor({ gpu: new GpuState(gpuProfile('cpu')) }), graph, dirs);
    expect(run.ui['5']).toEqual(recorded['5']);
    expect(run.ui['6']).toEqual(recorded['6']);
    const probe = await probeVideo(join(dirs.output, 'video', 'rc_00001_.mp4'));
    expect([probe.frames, probe.fps]).toEqual([8, 8]);
    expect(readFileSync(join(dirs.output, 'anim', 'rc_00001_.webp')).subarray(8, 12).toString()).toBe('WEBP');
  });
});
