import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { gpuProfile } from '../../src/catalog/cost/gpu-profiles.js';
import { createNodeExecutor } from '../../src/sim/execution/create-node-executor.js';
import { ImageValue, LatentValue } from '../../src/sim/execution/values.js';
import { runGraph, tempDirs } from './run-graph.js';

/** Shapes of the node classes the catalogue templates use beyond the core image/latent nodes. */

const executor = () => createNodeExecutor({ gpu: new GpuState(gpuProfile('a100-80g')) });

async function withInput(width: number, height: number) {
  const dirs = tempDirs();
  await sharp({ create: { width, height, channels: 3, background: { r: 80, g: 120, b: 160 } } }).png().toFile(join(dirs.input, 'in.png'));
  return dirs;
}

describe('template node shapes', () => {
  it('Qwen-Image-Layered: max-dimension scale, GetImageSize, layers + 1 RGBA images saved with transparency', async () => {
    const dirs = await withInput(800, 600);
    const graph: ApiGraph = {
      '1': { class_type: 'LoadImage', inputs: { image: 'in.png' } },
      '2': { class_type: 'ImageScaleToMaxDimension', inputs: { image: ['1', 0], upscale_method: 'lanczos', largest_size: 640 } },
      '3': { class_type: 'GetImageSize', inputs: { image: ['2', 0] } },
      '4': { class_type: 'VAELoader', inputs: { vae_name: 'qwen_image_layered_vae.safetensors' } },
      '5': { class_type: 'EmptyQwenImageLayeredLatentImage', inputs: { width: ['3', 0], height: ['3', 1], layers: 2, batch_size: 1 } },
      '6': { class_type: 'LatentCutToBatch', inputs: { samples: ['5', 0], dim: 't', slice_size: 1 } },
      '7': { class_type: 'VAEDecode', inputs: { samples: ['6', 0], vae: ['4', 0] } },
      '8': { class_type: 'SaveImage', inputs: { images: ['7', 0], filename_prefix: 'layers' } },
    };
    const run = await runGraph(executor(), graph, dirs, extendedObjectInfo());
    expect(run.outputs['3']).toEqual([640, 480, 1]);
    const decoded = run.outputs['7']![0] as ImageValue;
    expect([decoded.batch, decoded.width, decoded.height, decoded.alpha]).toEqual([3, 640, 480, true]);
    const files = (run.ui['8']!.images as { filename: string }[]).map((f) => join(dirs.output, f.filename));
    expect(files).toHaveLength(3);
    const stats = await sharp(files[1]!).stats();
    expect(stats.channels).toHaveLength(4);
    expect(stats.channels[3]!.min).toBe(0);
  });

  it('FluxKontextImageScale picks the preferred size closest in aspect ratio', async () => {
    const dirs = await withInput(800, 600);
    const graph: ApiGraph = {
      '1': { class_type: 'LoadImage', inputs: { image: 'in.png' } },
      '2': { class_type: 'FluxKontextImageScale', inputs: { image: ['1', 0] } },
    };
    const image = (await runGraph(executor(), graph, dirs, extendedObjectInfo())).outputs['2']![0] as ImageValue;
    expect([image.width, image.height]).toEqual([1184, 880]);
  });

  it('HunyuanVideo 1.5: 32-channel 1/16 latents, SR upscale to the requested size keeps 121 frames', async () => {
    const graph: ApiGraph = {
      '1': { class_type: 'EmptyHunyuanVideo15Latent', inputs: { width: 848, height: 480, length: 121, batch_size: 1 } },
      '2': { class_type: 'LatentUpscaleModelLoader', inputs: { model_name: 'hunyuanvideo15_latent_upsampler_1080p.safetensors' } },
      '3': { class_type: 'HunyuanVideo15LatentUpscaleWithModel', inputs: { model: ['2', 0], samples: ['1', 0], upscale_method: 'bilinear', width: 1920, height: 1088, crop: 'disabled' } },
    };
    const run = await runGraph(executor(), graph, tempDirs(), extendedObjectInfo());
    const empty = run.outputs['1']![0] as LatentValue;
    expect([empty.channels, empty.downscale, empty.frames, empty.temporal]).toEqual([32, 16, 121, 31]);
    const up = run.outputs['3']![0] as LatentValue;
    expect([up.width, up.height, up.frames]).toEqual([1920, 1088, 121]);
  });

  it('WanVaceToVideo reports trim_latent 1 with a reference image and 0 without', async () => {
    const dirs = await withInput(64, 64);
    const vace = (reference: boolean): ApiGraph => ({
      '1': { class_type: 'VAELoader', inputs: { vae_name: 'wan_2.1_vae.safetensors' } },
      '2': { class_type: 'LoadImage', inputs: { image: 'in.png' } },
      '3': {
        class_type: 'WanVaceToVideo',
        inputs: { vae: ['1', 0], width: 64, height: 64, length: 81, batch_size: 1, strength: 1, ...(reference ? { reference_image: ['2', 0] } : {}) },
      },
    });
    expect((await runGraph(executor(), vace(true), dirs, extendedObjectInfo())).outputs['3']![3]).toBe(1);
    expect((await runGraph(executor(), vace(false), dirs, extendedObjectInfo())).outputs['3']![3]).toBe(0);
  });

  it('JoinImageWithAlpha → SaveAnimatedWEBP writes a transparent animated WebP at int(1000 / fps) ms per frame', async () => {
    const dirs = tempDirs();
    const graph: ApiGraph = {
      // Numbered frames: WebP's animation encoder merges identical consecutive frames.
      '0': { class_type: 'EmptyHunyuanLatentVideo', inputs: { width: 64, height: 48, length: 5, batch_size: 1 } },
      '1': { class_type: 'VAEDecode', inputs: { samples: ['0', 0], vae: ['5', 0] } },
      '5': { class_type: 'VAELoader', inputs: { vae_name: 'wan_2.1_vae.safetensors' } },
      // ComfyUI's mask convention: alpha = 1 − mask, so a 16×16 square of 1s is the transparent
      // part; the mask needs the clip's 5 frames (JoinImageWithAlpha keeps min(image, mask) frames).
      '8': { class_type: 'EmptyImage', inputs: { width: 64, height: 48, batch_size: 5, color: 0 } },
      '2': { class_type: 'ImageToMask', inputs: { image: ['8', 0], channel: 'red' } },
      '6': { class_type: 'SolidMask', inputs: { value: 1, width: 16, height: 16 } },
      '7': { class_type: 'MaskComposite', inputs: { destination: ['2', 0], source: ['6', 0], x: 8, y: 8, operation: 'add' } },
      '3': { class_type: 'JoinImageWithAlpha', inputs: { image: ['1', 0], alpha: ['7', 0] } },
      '4': { class_type: 'SaveAnimatedWEBP', inputs: { images: ['3', 0], filename_prefix: 'rgba', fps: 16, lossless: true, quality: 80, method: 'default' } },
    };
    const run = await runGraph(executor(), graph, dirs, extendedObjectInfo());
    const file = join(dirs.output, (run.ui['4']!.images as { filename: string }[])[0]!.filename);
    const meta = await sharp(file, { animated: true }).metadata();
    expect([meta.pages, meta.pageHeight, meta.delay]).toEqual([5, 48, [62, 62, 62, 62, 62]]);
    const alpha = (await sharp(file).stats()).channels[3]!;
    expect([alpha.min, alpha.max]).toEqual([0, 255]);
  });
});
