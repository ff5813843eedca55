/**
 * Emulated GPUs. `speed` is throughput relative to an RTX 4090 on diffusion sampling (the
 * reference the model table's step costs are measured on); `vramBytes` is what torch reports
 * as the device total, which ComfyUI shows as `vram_total` in /system_stats.
 */
export type GpuProfileId = 'cpu' | 'rtx3090' | 'rtx4090' | 'rtx5090' | 'l40s' | 'a100-80g' | 'h100';

export interface GpuProfile {
  id: GpuProfileId;
  /** `devices[0].name` in /system_stats, as ComfyUI formats it. */
  deviceName: string;
  /** `devices[0].type`. */
  deviceType: 'cuda' | 'cpu';
  vramBytes: number;
  /** Sampling throughput relative to an RTX 4090. */
  speed: number;
  /** Host→device copy rate, for (re)loading weights already in RAM. */
  hostToDeviceBytesPerSec: number;
  /** Reading safetensors from disk the first time. */
  diskBytesPerSec: number;
  /** CUDA context and allocator overhead that is never available to models. */
  reservedBytes: number;
}

const GiB = 1024 ** 3;

function cuda(id: GpuProfileId, product: string, vramBytes: number, speed: number, hostToDeviceBytesPerSec: number): GpuProfile {
  return {
    id,
    deviceName: `cuda:0 NVIDIA ${product} : cudaMallocAsync`,
    deviceType: 'cuda',
    vramBytes,
    speed,
    hostToDeviceBytesPerSec,
    diskBytesPerSec: 2.5e9,
    reservedBytes: 0.5 * GiB,
  };
}

export const GPU_PROFILES: Readonly<Record<GpuProfileId, GpuProfile>> = {
  // ComfyUI --cpu: "vram" is system RAM and everything is ~100x slower than a 4090.
  cpu: { id: 'cpu', deviceName: 'cpu', deviceType: 'cpu', vramBytes: 64 * GiB, speed: 0.01, hostToDeviceBytesPerSec: 20e9, diskBytesPerSec: 2.5e9, reservedBytes: 0 },
  rtx3090: cuda('rtx3090', 'GeForce RTX 3090', 25438126080, 0.55, 20e9),
  rtx4090: cuda('rtx4090', 'GeForce RTX 4090', 25386352640, 1, 24e9),
  rtx5090: cuda('rtx5090', 'GeForce RTX 5090', 33661714432, 1.35, 48e9),
  l40s: cuda('l40s', 'L40S', 47697362944, 0.95, 24e9),
  'a100-80g': cuda('a100-80g', 'A100-SXM4-80GB', 85096284160, 1.1, 24e9),
  h100: cuda('h100', 'H100 80GB HBM3', 85045051392, 1.9, 48e9),
};

export function isGpuProfileId(value: string): value is GpuProfileId {
  return Object.hasOwn(GPU_PROFILES, value);
}

export function gpuProfile(id: GpuProfileId): GpuProfile {
  return GPU_PROFILES[id];
}
