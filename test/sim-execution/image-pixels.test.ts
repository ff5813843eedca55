import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { gpuProfile, type GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';
import { createNodeExecutor } from '../../src/sim/execution/create-node-executor.js';
import { NodeFailure } from '../../src/sim/execution/node-executor.js';
import { gaussianBlur } from '../../src/sim/execution/pixels/filters.js';
import { upscale, type Pixels } from '../../src/sim/execution/pixels/pixels.js';
import type { UpscaleMethod } from '../../src/sim/execution/pixels/resample.js';
import { ImageValue, MaskValue } from '../../src/sim/execution/values.js';
import { runGraph, tempDirs, type Dirs } from './run-graph.js';

const executor = (profile: GpuProfileId = 'rtx4090') => createNodeExecutor({ gpu: new GpuState(gpuProfile(profile)) });

function tensor(width: number, height: number, values: number[], channels = 1): Pixels {
  return { data: Float32Array.from(values), batch: 1, height, width, channels };
}

// Expected values printed by torch 2.x / Pillow in the real ComfyUI 0.3.64 venv for a 3×2 image
// [[0, .5, 1], [.25, .75, .1]] resized to 5×3 (torch.nn.functional.interpolate; lanczos via uint8 PIL).
const TORCH_5x3: Record<Exclude<UpscaleMethod, 'lanczos'>, number[]> = {
  'nearest-exact': [0.0, 0.0, 0.5, 1.0, 1.0, 0.25, 0.25, 0.75, 0.1, 0.1, 0.25, 0.25, 0.75, 0.1, 0.1],
  bilinear: [0.0, 0.2, 0.5, 0.8, 1.0, 0.125, 0.325, 0.625, 0.58, 0.55, 0.25, 0.45, 0.75, 0.36, 0.1],
  area: [0.0, 0.25, 0.5, 0.75, 1.0, 0.125, 0.375, 0.625, 0.5875, 0.55, 0.25, 0.5, 0.75, 0.425, 0.1],
  bicubic: [-0.069701, 0.129111, 0.478299, 0.881393, 1.135709, 0.077, 0.3244, 0.625, 0.6151, 0.5428, 0.223701, 0.519689, 0.771701, 0.348808, -0.050108],
};
const PIL_LANCZOS_5x3 = [0, 17, 119, 243, 255, 22, 76, 159, 160, 129, 49, 134, 199, 76, 0];

describe('common_upscale methods match torch / Pillow', () => {
  const source = tensor(3, 2, [0, 0.5, 1, 0.25, 0.75, 0.1]);
  for (const [method, expected] of Object.entries(TORCH_5x3)) {
    it(method, () => {
      const out = upscale(source, 5, 3, method as UpscaleMethod);
      expect([out.width, out.height]).toEqual([5, 3]);
      Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    });
  }
  it('lanczos (8-bit, as comfy.utils.lanczos)', () => {
    const out = upscale(source, 5, 3, 'lanczos');
    expect(Array.from(out.data, (v) => Math.round(v * 255))).toEqual(PIL_LANCZOS_5x3);
  });
});

describe('ImageBlur kernel', () => {
  it('matches conv2d of the reflect-padded image with ComfyUI gaussian_kernel', () => {
    const ramp = tensor(4, 4, Array.from({ length: 16 }, (_, i) => i / 15));
    const expected = [0.182712, 0.212837, 0.279503, 0.309627, 0.303209, 0.333333, 0.4, 0.430124, 0.569876, 0.6, 0.666667, 0.696791, 0.690372, 0.720497, 0.787163, 0.817288];
    Array.from(gaussianBlur(ramp, 1, 1).data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });
});

async function writeInputs(dirs: Dirs): Promise<void> {
  const gradient = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < 64 * 48; i += 1) gradient.set([(i % 64) * 4, Math.floor(i / 64) * 5, 100], i * 3);
  writeFileSync(join(dirs.input, 'g.png'), await sharp(gradient, { raw: { width: 64, height: 48, channels: 3 } }).png().toBuffer());
  const rgba = Buffer.alloc(8 * 8 * 4);
  for (let i = 0; i < 64; i += 1) rgba.set([255, 0, 0, i * 4], i * 4);
  writeFileSync(join(dirs.input, 'a.png'), await sharp(rgba, { raw: { width: 8, height: 8, channels: 4 } }).png().toBuffer());
}

const N = (class_type: string, inputs: Record<string, unknown>) => ({ class_type, inputs }) as ApiGraph[string];

async function run(graph: ApiGraph, profile: GpuProfileId = 'rtx4090') {
  const dirs = tempDirs();
  await writeInputs(dirs);
  return runGraph(executor(profile), graph, dirs);
}

const imageOf = (value: unknown): ImageValue => value as ImageValue;
const px = (image: ImageValue, x: number, y: number, b = 0): number[] => {
  const p = image.pixels!;
  const at = ((b * p.height + y) * p.width + x) * p.channels;
  return Array.from(p.data.subarray(at, at + p.channels), (v) => Math.round(v * 255));
};

describe('image nodes compute their real result', () => {
  it('ImageCompositeMasked pastes the source at (x, y) instead of passing the destination through', async () => {
    const r = await run({
      '1': N('LoadImage', { image: 'g.png' }),
      '2': N('EmptyImage', { width: 10, height: 6, batch_size: 1, color: 0xff00ff }),
      '3': N('ImageCompositeMasked', { destination: ['1', 0], source: ['2', 0], x: 60, y: 3, resize_source: false }),
    });
    const out = imageOf(r.outputs['3']![0]);
    expect([out.width, out.height]).toEqual([64, 48]);
    expect(px(out, 61, 4)).toEqual([255, 0, 255]);
    expect(px(out, 59, 4)).toEqual([59 * 4, 20, 100]);
    expect(px(out, 61, 9)).toEqual([61 * 4, 45, 100]);
  });

  it('ImageCrop and ImagePadForOutpaint change the size; the mask is feathered inside', async () => {
    const r = await run({
      '1': N('LoadImage', { image: 'g.png' }),
      '2': N('ImageCrop', { image: ['1', 0], width: 30, height: 20, x: 10, y: 8 }),
      '3': N('ImagePadForOutpaint', { image: ['2', 0], left: 8, top: 0, right: 0, bottom: 4, feathering: 4 }),
    });
    const crop = imageOf(r.outputs['2']![0]);
    expect([crop.width, crop.height]).toEqual([30, 20]);
    expect(px(crop, 0, 0)).toEqual([40, 40, 100]);
    const padded = imageOf(r.outputs['3']![0]);
    const mask = r.outputs['3']![1] as MaskValue;
    expect([padded.width, padded.height, mask.width, mask.height]).toEqual([38, 24, 38, 24]);
    expect(px(padded, 0, 0)).toEqual([128, 128, 128]);
    expect(px(padded, 8, 0)).toEqual([40, 40, 100]);
    expect(mask.pixels!.data[0]).toBe(1);
    expect(mask.pixels!.data[8]).toBeCloseTo(1, 5); // d = 0 at the left edge: (4 - 0) / 4 squared
    expect(mask.pixels!.data[5 * 38 + 20]).toBe(0);
  });

  it('MaskToImage has the mask size (not 512×512), and LoadImage gives MASK = 1 − alpha', async () => {
    const r = await run({ '1': N('LoadImage', { image: 'a.png' }), '2': N('MaskToImage', { mask: ['1', 1] }) });
    const mask = r.outputs['1']![1] as MaskValue;
    expect([mask.width, mask.height]).toEqual([8, 8]);
    expect(mask.pixels!.data[1]).toBeCloseTo(1 - 4 / 255, 6);
    const image = imageOf(r.outputs['2']![0]);
    expect([image.width, image.height, image.batch]).toEqual([8, 8, 1]);
    expect(px(image, 1, 0)).toEqual([251, 251, 251]);
  });

  it('ImageBatch, RepeatImageBatch and ImageFromBatch carry real frames', async () => {
    const r = await run({
      '1': N('LoadImage', { image: 'g.png' }),
      '2': N('ImageInvert', { image: ['1', 0] }),
      '3': N('ImageBatch', { image1: ['1', 0], image2: ['2', 0] }),
      '4': N('RepeatImageBatch', { image: ['3', 0], amount: 2 }),
      '5': N('ImageFromBatch', { image: ['4', 0], batch_index: 1, length: 2 }),
    });
    const out = imageOf(r.outputs['5']![0]);
    expect(out.batch).toBe(2);
    expect(px(out, 3, 2, 0)).toEqual([255 - 12, 255 - 10, 155]);
    expect(px(out, 3, 2, 1)).toEqual([12, 10, 100]);
  });

  it('ImageBlend difference is image1 − image2 clamped (not |image1 − image2|)', async () => {
    const r = await run({
      '1': N('EmptyImage', { width: 4, height: 4, batch_size: 1, color: 0x204060 }),
      '2': N('EmptyImage', { width: 4, height: 4, batch_size: 1, color: 0x402060 }),
      '3': N('ImageBlend', { image1: ['1', 0], image2: ['2', 0], blend_factor: 1, blend_mode: 'difference' }),
    });
    expect(px(imageOf(r.outputs['3']![0]), 0, 0)).toEqual([0, 0x20, 0]);
  });

  it('ImageScale in every method keeps the asked size and real content', async () => {
    for (const method of ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']) {
      const r = await run({ '1': N('LoadImage', { image: 'g.png' }), '2': N('ImageScale', { image: ['1', 0], upscale_method: method, width: 32, height: 0, crop: 'disabled' }) });
      const out = imageOf(r.outputs['2']![0]);
      expect([out.width, out.height], method).toEqual([32, 24]);
      expect(px(out, 16, 12)[2], method).toBe(100);
    }
  });

  it('ImageToMask of alpha on an RGB image fails as torch does', async () => {
    await expect(run({ '1': N('LoadImage', { image: 'g.png' }), '2': N('ImageToMask', { image: ['1', 0], channel: 'alpha' }) })).rejects.toThrow(NodeFailure);
  });
});

describe('model outputs keep ComfyUI\'s exact shapes', () => {
  it('a 500×300 EmptyLatentImage decodes to 496×296 (the latent holds width // 8 columns)', async () => {
    const r = await run({
      '4': N('CheckpointLoaderSimple', { ckpt_name: 'v1-5-pruned-emaonly-fp16.safetensors' }),
      '5': N('EmptyLatentImage', { width: 500, height: 300, batch_size: 2 }),
      '8': N('VAEDecode', { samples: ['5', 0], vae: ['4', 2] }),
    });
    const image = imageOf(r.outputs['8']![0]);
    expect([image.width, image.height, image.batch]).toEqual([496, 296, 2]);
    expect(image.cards.every((c) => c.width === 496 && c.height === 296)).toBe(true);
  });
});

describe('cpu profile: image work costs time by pixel count', () => {
  const blur = (size: number, radius: number): ApiGraph => ({
    '1': N('EmptyImage', { width: size, height: size, batch_size: 1, color: 0x808080 }),
    '2': N('ImageBlur', { image: ['1', 0], blur_radius: radius, sigma: 1 }),
    '3': N('ImageInvert', { image: ['2', 0] }),
  });

  it('a 512² blur of radius 16 costs seconds on cpu (real ComfyUI: 8-18 s), nothing on a GPU', async () => {
    const cpu = await run(blur(512, 16), 'cpu');
    const gpu = await run(blur(512, 16), 'rtx4090');
    expect(cpu.spent['2']).toBeGreaterThan(5_000);
    expect(cpu.spent['2']).toBeLessThan(60_000);
    expect(gpu.spent['2']).toBeLessThan(50);
  });

  it('scales with the pixel count', async () => {
    const small = await run(blur(128, 2), 'cpu');
    const large = await run(blur(256, 2), 'cpu');
    expect(large.spent['3']! / small.spent['3']!).toBeCloseTo(4, 5);
    expect(large.spent['2']!).toBeGreaterThan(small.spent['2']! * 3);
  });
});
