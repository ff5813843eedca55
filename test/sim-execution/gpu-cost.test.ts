import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { gpuProfile, type GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';
import { modelCost } from '../../src/catalog/cost/model-costs.js';
import { createNodeExecutor } from '../../src/sim/execution/create-node-executor.js';
import { NodeFailure } from '../../src/sim/execution/node-executor.js';
import { ImageValue } from '../../src/sim/execution/values.js';
import { runGraph, tempDirs } from './run-graph.js';

const HIGH = 'wan2.2_t2v_high_noise_14B_fp8_scaled.safetensors';
const LOW = 'wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors';

function wan14b(unet: string, width: number, height: number, length: number): ApiGraph {
  return {
    '1': { class_type: 'UNETLoader', inputs: { unet_name: unet, weight_dtype: 'default' } },
    '2': { class_type: 'CLIPLoader', inputs: { clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', type: 'wan' } },
    '3': { class_type: 'VAELoader', inputs: { vae_name: 'wan_2.1_vae.safetensors' } },
    '4': { class_type: 'CLIPTextEncode', inputs: { text: 'a fox runs through snow', clip: ['2', 0] } },
    '5': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['2', 0] } },
    '6': { class_type: 'EmptyHunyuanLatentVideo', inputs: { width, height, length, batch_size: 1 } },
    '7': {
      class_type: 'KSampler',
      inputs: { model: ['1', 0], seed: 1, steps: 20, cfg: 3.5, sampler_name: 'euler', scheduler: 'simple', positive: ['4', 0], negative: ['5', 0], latent_image: ['6', 0], denoise: 1 },
    },
  };
}

function executorOn(profile: GpuProfileId) {
  const gpu = new GpuState(gpuProfile(profile));
  return { gpu, executor: createNodeExecutor({ gpu }) };
}

describe('model residency', () => {
  it('charges a loader once; the second run of the same loader finds it resident', async () => {
    const { executor } = executorOn('rtx4090');
    const graph: ApiGraph = { '1': { class_type: 'UNETLoader', inputs: { unet_name: HIGH, weight_dtype: 'default' } } };
    const first = await runGraph(executor, graph, tempDirs());
    const second = await runGraph(executor, graph, tempDirs());
    // 14.3 GB from disk at 2.5 GB/s plus the copy to the card.
    expect(first.spent['1']).toBeGreaterThan(5000);
    expect(second.spent['1']).toBe(0);
  });

  it('evicts the least recently used model when a new one does not fit', () => {
    const gpu = new GpuState(gpuProfile('rtx4090'));
    const clip = { key: 'umt5', bytes: 6.74e9 };
    const high = { key: HIGH, bytes: 14.3e9 };
    const low = { key: LOW, bytes: 14.3e9 };
    gpu.ensureLoaded(clip);
    gpu.ensureLoaded(high);
    expect(gpu.residentKeys()).toEqual(['umt5', HIGH]);
    gpu.ensureLoaded(clip); // touch: now HIGH is the least recently used
    gpu.ensureLoaded(low);
    expect(gpu.residentKeys()).toEqual(['umt5', LOW]);
    // Reloading an evicted model skips the disk (it is in RAM) but still pays the copy.
    const reload = gpu.ensureLoaded(high);
    expect(reload).toBeGreaterThan(0);
    expect(reload).toBeLessThan((14.3e9 / 2.5e9) * 1000);
    expect(gpu.isResident(LOW)).toBe(false);
    const snap = gpu.snapshot();
    expect(snap.vram_total).toBe(gpuProfile('rtx4090').vramBytes);
    expect(snap.vram_free).toBeLessThan(snap.vram_total - 14.3e9);
  });
});

describe('out of memory', () => {
  const fp16 = 'wan2.2_t2v_high_noise_14B_fp16.safetensors';

  it('Wan 14B fp16 at 1280×720×81 fails on an RTX 4090 with torch.OutOfMemoryError and unloads everything', async () => {
    const { gpu, executor } = executorOn('rtx4090');
    const error = await runGraph(executor, wan14b(fp16, 1280, 720, 81), tempDirs()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    expect((error as NodeFailure).exceptionType).toBe('torch.OutOfMemoryError');
    expect((error as NodeFailure).exceptionMessage).toBe('Allocation on device ');
    expect((error as NodeFailure).traceback.length).toBeGreaterThan(4);
    expect(gpu.residentKeys()).toEqual([]);
  });

  it('the same workload runs on an A100 80 GB, 20 progress steps, and decodes to 81 frames', async () => {
    const { executor } = executorOn('a100-80g');
    const graph = wan14b(fp16, 1280, 720, 81);
    graph['8'] = { class_type: 'VAEDecode', inputs: { samples: ['7', 0], vae: ['3', 0] } };
    const run = await runGraph(executor, graph, tempDirs());
    expect(run.progress['7']).toHaveLength(20);
    expect(run.progress['7']!.at(-1)).toEqual([20, 20]);
    const image = run.outputs['8']![0] as ImageValue;
    expect([image.width, image.height, image.batch]).toEqual([1280, 720, 81]);
    expect(image.cards[80]).toMatchObject({ text: 'a fox runs through snow', seed: 1, frame: 80, model: 'wan22-14b' });
  });

  it('the fp8 experts fit a 24 GB card at 640×640×81, and a faster card takes less time', async () => {
    const slow = await runGraph(executorOn('rtx3090').executor, wan14b(HIGH, 640, 640, 81), tempDirs());
    const fast = await runGraph(executorOn('h100').executor, wan14b(HIGH, 640, 640, 81), tempDirs());
    expect(slow.progress['7']).toHaveLength(20);
    expect(fast.spent['7']!).toBeLessThan(slow.spent['7']!);
  });
});

describe('two-pass sampling (KSamplerAdvanced start/end)', () => {
  it('each expert runs its slice of steps, swaps models, and the card keeps the first pass seed', async () => {
    const { gpu, executor } = executorOn('rtx4090');
    const graph: ApiGraph = {
      ...wan14b(HIGH, 320, 192, 33),
      '11': { class_type: 'UNETLoader', inputs: { unet_name: LOW, weight_dtype: 'default' } },
      '7': {
        class_type: 'KSamplerAdvanced',
        inputs: { model: ['1', 0], add_noise: 'enable', noise_seed: 99, steps: 20, cfg: 3.5, sampler_name: 'euler', scheduler: 'simple', positive: ['4', 0], negative: ['5', 0], latent_image: ['6', 0], start_at_step: 0, end_at_step: 10, return_with_leftover_noise: 'enable' },
      },
      '12': {
        class_type: 'KSamplerAdvanced',
        inputs: { model: ['11', 0], add_noise: 'disable', noise_seed: 0, steps: 20, cfg: 3.5, sampler_name: 'euler', scheduler: 'simple', positive: ['4', 0], negative: ['5', 0], latent_image: ['7', 0], start_at_step: 10, end_at_step: 10000, return_with_leftover_noise: 'disable' },
      },
      '13': { class_type: 'VAEDecode', inputs: { samples: ['12', 0], vae: ['3', 0] } },
    };
    const run = await runGraph(executor, graph, tempDirs());
    expect(run.progress['7']).toHaveLength(10);
    expect(run.progress['7']!.at(-1)).toEqual([10, 10]);
    expect(run.progress['12']).toHaveLength(10);
    expect(gpu.isResident(LOW)).toBe(true);
    expect(gpu.isResident(HIGH)).toBe(false);
    const image = run.outputs['13']![0] as ImageValue;
    expect(image.batch).toBe(33);
    expect(image.cards[0]).toMatchObject({ seed: 99, nodeId: '7' });
  });
});

describe('model cost table', () => {
  it('knows the Wan 2.2 experts and honours weight_dtype', () => {
    expect(modelCost(HIGH, 'diffusion')).toMatchObject({ id: 'wan-14b-fp8', weightsBytes: 14.3e9 });
    expect(modelCost('wan2.2_i2v_low_noise_14B_fp16.safetensors', 'diffusion').weightsBytes).toBe(28.6e9);
    expect(modelCost('qwen_image_fp8_e4m3fn.safetensors', 'diffusion').family).toBe('qwen-image');
    expect(modelCost('wan_2.1_vae.safetensors', 'vae')).toMatchObject({ downscale: 8, channels: 16 });
    expect(modelCost('mystery_7B_fp8.safetensors', 'diffusion').weightsBytes).toBe(7e9);
  });
});
