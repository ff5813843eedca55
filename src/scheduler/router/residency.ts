import { modelSizeGb } from '../../catalog/templates/model-sizes.js';
import { GPU_PROFILES, type GpuProfileId } from '../../sim/cost/gpu-profiles.js';
import { modelCost } from '../../sim/cost/model-costs.js';

/** Bytes of a model file: the catalogue's size, else the emulator cost model's guess from its name. */
export function modelBytes(file: string): number {
  const gb = modelSizeGb(file);
  return gb > 0 ? gb * 1e9 : modelCost(file, 'diffusion').weightsBytes;
}

export interface Residency {
  /** Least recently used first. */
  resident: string[];
  inRam: string[];
}

export interface LoadPlan extends Residency {
  /** Files that had to be (re)loaded, in order. */
  loads: string[];
  /** Disk read (first time on this worker) + host→device copy, as the emulator's GpuState charges it. */
  loadMs: number;
}

/**
 * What running a task that loads `models` (in order) does to a worker's VRAM, the way ComfyUI
 * (and the emulator's GpuState) manages it: a resident model is reused, a missing one evicts
 * the least recently used others until it fits. The router keeps this belief per worker from
 * what it sent there; it never needs the worker to report its loaded models.
 */
export function applyRun(state: Residency, models: readonly string[], profileId: GpuProfileId, vramTotalBytes: number): LoadPlan {
  const profile = GPU_PROFILES[profileId];
  const capacity = vramTotalBytes - profile.reservedBytes;
  const resident = [...state.resident];
  const inRam = new Set(state.inRam);
  const loads: string[] = [];
  let loadMs = 0;
  for (const file of models) {
    const at = resident.indexOf(file);
    if (at >= 0) {
      resident.splice(at, 1);
      resident.push(file);
      continue;
    }
    const bytes = modelBytes(file);
    let used = resident.reduce((sum, f) => sum + modelBytes(f), 0);
    while (resident.length > 0 && used + bytes > capacity) used -= modelBytes(resident.shift()!);
    loadMs += (inRam.has(file) ? 0 : (bytes / profile.diskBytesPerSec) * 1000) + (Math.min(bytes, capacity) / profile.hostToDeviceBytesPerSec) * 1000;
    inRam.add(file);
    resident.push(file);
    loads.push(file);
  }
  return { resident, inRam: [...inRam], loads, loadMs };
}
