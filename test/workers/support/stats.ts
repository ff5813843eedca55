import type { SystemStats } from '../../../src/comfy/protocol/routes.js';

/** A /system_stats reply as ComfyUI 0.3.64 sends it, with the parts a test varies. */
export function systemStats(overrides: { argv?: string[]; vramTotal?: number; vramFree?: number; deviceName?: string; devices?: boolean } = {}): SystemStats {
  return {
    system: {
      os: 'posix',
      ram_total: 135_000_000_000,
      ram_free: 120_000_000_000,
      comfyui_version: '0.3.64',
      python_version: '3.12.3',
      pytorch_version: '2.8.0+cu128',
      embedded_python: false,
      argv: overrides.argv ?? ['main.py', '--listen', '127.0.0.1'],
    },
    devices:
      overrides.devices === false
        ? []
        : [
            {
              name: overrides.deviceName ?? 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync',
              type: 'cuda',
              index: 0,
              vram_total: overrides.vramTotal ?? 25_386_352_640,
              vram_free: overrides.vramFree ?? 24_000_000_000,
              torch_vram_total: 0,
              torch_vram_free: 0,
            },
          ],
  };
}
