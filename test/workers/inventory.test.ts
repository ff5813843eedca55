import { afterEach, describe, expect, it } from 'vitest';
import { ComfyClient } from '../../src/comfy/client/comfy-client.js';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { preflight } from '../../src/catalog/preflight/preflight.js';
import { GPU_PROFILES } from '../../src/catalog/cost/gpu-profiles.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { WorkerEvents } from '../../src/workers/events.js';
import { Inventory, type InventorySource } from '../../src/workers/inventory.js';
import { ManualClock } from '../../src/workers/manual-clock.js';
import { systemStats } from './support/stats.js';

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const MODELS = {
  checkpoints: ['sd_xl_base_1.0.safetensors', 'dreamshaper_8.safetensors'],
  loras: ['style/ink.safetensors'],
  vae: ['sdxl_vae.safetensors'],
};

const txt2img: ApiGraph = {
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' } },
  '10': { class_type: 'LoraLoader', inputs: { model: ['4', 0], clip: ['4', 1], lora_name: 'style/ink.safetensors', strength_model: 1, strength_clip: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a castle', clip: ['10', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['10', 1] } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
  '3': { class_type: 'KSampler', inputs: { model: ['10', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0], seed: 1, steps: 2, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1 } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'inv' } },
};

describe('inventory against the emulator', () => {
  it('reads classes, model files per folder, GPU and VRAM; the snapshot feeds preflight', async () => {
    const emulator = await startEmulator({ timeScale: 0, profile: 'rtx3090', models: MODELS });
    emulators.push(emulator);
    const inventory = new Inventory();
    inventory.track('gpu-3090', { url: emulator.url });
    const snapshot = await inventory.refresh('gpu-3090');

    const client = new ComfyClient(emulator.url, { socket: false });
    const expectedClasses = Object.keys(await client.objectInfo()).length;
    await client.close();
    expect(snapshot.classCount).toBe(expectedClasses);
    expect(Object.keys(snapshot.objectInfo)).toHaveLength(expectedClasses);
    expect(snapshot.objectInfo.KSampler).toBeDefined();
    expect(snapshot.models.checkpoints).toEqual(['dreamshaper_8.safetensors', 'sd_xl_base_1.0.safetensors']);
    expect(snapshot.models.loras).toEqual(['style/ink.safetensors']);
    expect(snapshot.models.upscale_models).toEqual([]);
    expect(snapshot.models.custom_nodes).toBeUndefined();
    expect(snapshot.modelFolders).toContain('diffusion_models');
    expect(snapshot.vramBytes).toBe(GPU_PROFILES.rtx3090.vramBytes);
    expect(snapshot.vramTotalBytes).toBe(GPU_PROFILES.rtx3090.vramBytes);
    expect(snapshot.vramFreeBytes).toBeGreaterThan(0);
    expect(snapshot.gpuName).toBe(GPU_PROFILES.rtx3090.deviceName);
    expect(snapshot.comfyuiVersion).toBe('0.38.1');
    expect(snapshot).toMatchObject({ name: 'gpu-3090', url: emulator.url });

    const report = preflight(txt2img, snapshot);
    expect(report.problems.filter((p) => p.kind === 'missing_model')).toEqual([]);
    const missing = preflight({ ...txt2img, '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'flux1-dev.safetensors' } } }, snapshot);
    expect(missing.problems.some((p) => p.kind === 'missing_model' || p.kind === 'validation')).toBe(true);
  });

  it('a CPU worker gives preflight its system RAM as the memory to fit in, and no GPU name', async () => {
    const emulator = await startEmulator({ timeScale: 0, profile: 'cpu' });
    emulators.push(emulator);
    const inventory = new Inventory();
    inventory.track('cpu', { url: emulator.url });
    const snapshot = await inventory.refresh('cpu');
    expect(snapshot.vramBytes).toBe(snapshot.vramTotalBytes);
    expect(snapshot.vramBytes).toBeGreaterThan(0);
    expect(snapshot.gpuName).toBeUndefined();
    expect(snapshot.deviceType).toBe('cpu');
  });

  it('learns resident models from completed jobs; forgets them on /free and on a restart', async () => {
    const first = await startEmulator({ timeScale: 0, profile: 'rtx4090', models: MODELS });
    emulators.push(first);
    const clock = new ManualClock(5_000);
    const events = new WorkerEvents();
    const restarts: string[] = [];
    events.on('worker.restarted', (e) => restarts.push(e.reason));
    const inventory = new Inventory({ clock, events });
    inventory.track('w', { url: first.url });
    await inventory.refresh('w');

    inventory.recordCompletedJob('w', txt2img);
    expect(inventory.snapshot('w')?.resident).toEqual([
      { folder: 'checkpoints', file: 'sd_xl_base_1.0.safetensors', lastUsedAt: 5_000 },
      { folder: 'loras', file: 'style/ink.safetensors', lastUsedAt: 5_000 },
    ]);
    inventory.recordFree('w', { unloadModels: false });
    expect(inventory.snapshot('w')?.resident).toHaveLength(2);
    inventory.recordFree('w', { unloadModels: true });
    expect(inventory.snapshot('w')?.resident).toEqual([]);

    // Same port, a different GPU: /system_stats boot facts changed → restarted.
    inventory.recordCompletedJob('w', txt2img);
    await inventory.refresh('w');
    expect(restarts).toEqual([]);
    await first.close();
    const second = await startEmulator({ timeScale: 0, profile: 'l40s', port: first.port, models: MODELS });
    emulators.push(second);
    const after = await inventory.refresh('w');
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toContain('boot facts changed');
    expect(after.resident).toEqual([]);
    expect(after.gpuName).toBe(GPU_PROFILES.l40s.deviceName);
  });

  it('a worker that was down and answers again counts as restarted (health events)', async () => {
    const clock = new ManualClock();
    const events = new WorkerEvents();
    const source: InventorySource = { objectInfo: async () => ({}), models: async () => [], systemStats: async () => systemStats() };
    const inventory = new Inventory({ clock, source: () => source });
    inventory.track('w', { url: 'http://127.0.0.1:1' });
    await inventory.refresh('w');
    inventory.recordCompletedJob('w', { '1': { class_type: 'UNETLoader', inputs: { unet_name: 'flux1-dev.safetensors', weight_dtype: 'default' } } });
    expect(inventory.snapshot('w')?.resident.map((r) => `${r.folder}/${r.file}`)).toEqual(['diffusion_models/flux1-dev.safetensors']);
    const unfollow = inventory.follow(events);
    events.emit('worker.recovered', { worker: 'w', downForMs: 1234, at: 0 });
    expect(inventory.snapshot('w')?.resident).toEqual([]);
    unfollow();
  });

  it('refreshes on an interval of the injected clock and detects argv changes', async () => {
    const clock = new ManualClock();
    let argv = ['main.py', '--port', '8188'];
    let calls = 0;
    const source: InventorySource = {
      objectInfo: async () => ({}),
      models: async () => [],
      systemStats: async () => {
        calls += 1;
        return systemStats({ argv });
      },
    };
    const inventory = new Inventory({ clock, source: () => source, intervalMs: 60_000 });
    const restarted: string[] = [];
    inventory.events.on('worker.restarted', (e) => restarted.push(e.worker));
    inventory.track('w', { url: 'http://127.0.0.1:1' });
    inventory.start();
    clock.advance(0);
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    argv = ['main.py', '--port', '8188', '--highvram'];
    clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    expect(restarted).toEqual(['w']);
    inventory.stop();
    clock.advance(120_000);
    expect(calls).toBe(2);
  });
});
