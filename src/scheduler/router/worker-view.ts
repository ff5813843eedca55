import type { WorkerInventory } from '../../catalog/preflight/types.js';
import { GPU_PROFILES, type GpuProfileId } from '../../catalog/cost/gpu-profiles.js';
import type { QueuedWork, WorkerView } from './types.js';

/**
 * The cost-model profile of a real GPU: matched by product name ("NVIDIA GeForce RTX 4090"),
 * else the profile with the nearest VRAM; `cpu` when there is no CUDA device.
 */
export function profileForGpu(gpuName: string | undefined, vramBytes: number | undefined): GpuProfileId {
  if (!gpuName || vramBytes === undefined) return 'cpu';
  const name = gpuName.toLowerCase();
  const byName = Object.values(GPU_PROFILES).find((p) => p.deviceType === 'cuda' && name.includes(p.deviceName.replace(/^cuda:0 NVIDIA /, '').replace(/ : .*$/, '').toLowerCase()));
  if (byName) return byName.id;
  const cuda = Object.values(GPU_PROFILES).filter((p) => p.deviceType === 'cuda');
  return cuda.reduce((best, p) => (Math.abs(p.vramBytes - vramBytes) < Math.abs(best.vramBytes - vramBytes) ? p : best)).id;
}

export interface WorkerRuntimeState {
  resident?: readonly string[];
  inRam?: readonly string[];
  /** Files of the last prompt the worker ran. */
  lastRun?: readonly string[];
  /** System RAM of the worker (`/system_stats` `system.ram_total`), when known. */
  hostRamBytes?: number;
  queue?: readonly QueuedWork[];
  healthy?: boolean;
  vramFreeBytes?: number;
  profile?: GpuProfileId;
}

/** A router view of a worker from its preflight inventory plus what the dispatcher knows now. */
export function workerViewFromInventory(inventory: WorkerInventory, state: WorkerRuntimeState = {}): WorkerView {
  const profile = state.profile ?? profileForGpu(inventory.gpuName, inventory.vramBytes);
  const vramTotalBytes = inventory.vramBytes ?? GPU_PROFILES[profile].vramBytes;
  return {
    name: inventory.name,
    profile,
    vramTotalBytes,
    vramFreeBytes: state.vramFreeBytes ?? vramTotalBytes,
    nodeClasses: new Set(Object.keys(inventory.objectInfo)),
    modelFiles: inventory.models,
    resident: state.resident ?? [],
    inRam: state.inRam ?? [],
    ...(state.lastRun ? { lastRun: state.lastRun } : {}),
    ...(state.hostRamBytes !== undefined ? { hostRamBytes: state.hostRamBytes } : {}),
    queue: state.queue ?? [],
    healthy: state.healthy ?? true,
  };
}
