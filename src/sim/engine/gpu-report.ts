/**
 * What the engine and `/system_stats` need from the GPU model: the device line and VRAM
 * figures, and `unloadAll()` for `POST /free` and after an OOM. The cost model's `GpuState`
 * (src/sim/cost/) provides it; `fixedGpuReport` is the fallback with constant figures.
 */
export interface GpuDevice {
  name: string;
  type: string;
  index: number | null;
  vram_total: number;
  vram_free: number;
  torch_vram_total: number;
  torch_vram_free: number;
}

export interface GpuReport {
  device(): GpuDevice;
  unloadAll(): void;
}

const PROFILES: Record<string, { name: string; vram: number }> = {
  rtx4090: { name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync', vram: 25393692672 },
  rtx3090: { name: 'cuda:0 NVIDIA GeForce RTX 3090 : cudaMallocAsync', vram: 25438126080 },
  a100: { name: 'cuda:0 NVIDIA A100-SXM4-80GB : cudaMallocAsync', vram: 84974239744 },
  h100: { name: 'cuda:0 NVIDIA H100 80GB HBM3 : cudaMallocAsync', vram: 84929216512 },
};

export function fixedGpuReport(profile = 'rtx4090'): GpuReport {
  const spec = PROFILES[profile] ?? (PROFILES.rtx4090 as { name: string; vram: number });
  return {
    device: () => ({
      name: spec.name,
      type: 'cuda',
      index: 0,
      vram_total: spec.vram,
      vram_free: spec.vram - 536870912,
      torch_vram_total: 0,
      torch_vram_free: 0,
    }),
    unloadAll: () => undefined,
  };
}
