/**
 * Emulated GPUs. `speed` is throughput relative to an RTX 4090 on diffusion sampling (the
 * reference the model table's step costs are measured on); `vramBytes` is what torch reports
 * as the device total, which ComfyUI shows as `vram_total` in /system_stats. Host RAM and
 * load rates describe the box the card typically sits in (docs/scheduling.md, "Load costs").
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
  /**
   * Loading a safetensors file that is not in RAM: what ComfyUI achieves end to end (read,
   * deserialise, build the state dict), well below the drive's raw sequential rate.
   */
  diskBytesPerSec: number;
  /** CUDA context and allocator overhead that is never available to models. */
  reservedBytes: number;
  /** System RAM of the box (for a multi-GPU server: this GPU's share). */
  hostRamBytes: number;
  /** Host RAM never available to cache weights: OS, ComfyUI's Python/torch process, desktop. */
  hostReservedBytes: number;
}

const GiB = 1024 ** 3;

interface Box {
  /** System RAM, bytes. */
  ram: number;
  /** Effective model load rate from disk, bytes/s. */
  disk: number;
}

function cuda(id: GpuProfileId, product: string, vramBytes: number, speed: number, hostToDeviceBytesPerSec: number, box: Box): GpuProfile {
  return {
    id,
    deviceName: `cuda:0 NVIDIA ${product} : cudaMallocAsync`,
    deviceType: 'cuda',
    vramBytes,
    speed,
    hostToDeviceBytesPerSec,
    diskBytesPerSec: box.disk,
    reservedBytes: 0.5 * GiB,
    hostRamBytes: box.ram,
    hostReservedBytes: 8 * GiB,
  };
}

// Typical boxes. Workstations: 64 GB (2×32 GB DDR4/DDR5) under a 3090/4090, 96 GB (2×48 GB
// DDR5) under a 5090; datacenter cards: the per-GPU share of common servers and cloud
// instances (AWS g6e.4xlarge 128 GiB per L40S, p4de 1152 GiB / 8 A100-80G, p5 2 TiB / 8 H100).
// Load rates: ComfyUI's safetensors load is bound by one CPU thread (deserialise + copy), so
// ~1-1.5 GB/s end to end from NVMe whatever the drive's raw 3-7 GB/s.
const WORKSTATION_3090: Box = { ram: 64 * GiB, disk: 1.0e9 };
const WORKSTATION_4090: Box = { ram: 64 * GiB, disk: 1.2e9 };
const WORKSTATION_5090: Box = { ram: 96 * GiB, disk: 1.4e9 };

export const GPU_PROFILES: Readonly<Record<GpuProfileId, GpuProfile>> = {
  // ComfyUI --cpu: "vram" is system RAM and everything is ~100x slower than a 4090.
  cpu: { id: 'cpu', deviceName: 'cpu', deviceType: 'cpu', vramBytes: 64 * GiB, speed: 0.01, hostToDeviceBytesPerSec: 20e9, diskBytesPerSec: 1.0e9, reservedBytes: 0, hostRamBytes: 64 * GiB, hostReservedBytes: 8 * GiB },
  rtx3090: cuda('rtx3090', 'GeForce RTX 3090', 25438126080, 0.55, 20e9, WORKSTATION_3090),
  rtx4090: cuda('rtx4090', 'GeForce RTX 4090', 25386352640, 1, 24e9, WORKSTATION_4090),
  rtx5090: cuda('rtx5090', 'GeForce RTX 5090', 33661714432, 1.35, 48e9, WORKSTATION_5090),
  l40s: cuda('l40s', 'L40S', 47697362944, 0.95, 24e9, { ram: 128 * GiB, disk: 1.5e9 }),
  'a100-80g': cuda('a100-80g', 'A100-SXM4-80GB', 85096284160, 1.1, 24e9, { ram: 144 * GiB, disk: 1.5e9 }),
  h100: cuda('h100', 'H100 80GB HBM3', 85045051392, 1.9, 48e9, { ram: 256 * GiB, disk: 1.5e9 }),
};

export function isGpuProfileId(value: string): value is GpuProfileId {
  return Object.hasOwn(GPU_PROFILES, value);
}

export function gpuProfile(id: GpuProfileId): GpuProfile {
  return GPU_PROFILES[id];
}

/** `profile` in a box with `hostRamBytes` of RAM (sensitivity runs, workers that report their RAM). */
export function withHostRam(profile: GpuProfile, hostRamBytes: number): GpuProfile {
  return { ...profile, hostRamBytes };
}

/** Bytes of host RAM that can hold model weights (page cache and ComfyUI's offloaded copies). */
export function hostCacheBytes(profile: Pick<GpuProfile, 'hostRamBytes' | 'hostReservedBytes'>): number {
  return Math.max(0, profile.hostRamBytes - profile.hostReservedBytes);
}
