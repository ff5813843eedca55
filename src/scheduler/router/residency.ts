import { modelSizeGb } from '../../catalog/templates/model-sizes.js';
import { GPU_PROFILES, hostCacheBytes, type GpuProfileId } from '../../catalog/cost/gpu-profiles.js';
import { HostRamCache } from '../../catalog/cost/host-ram-cache.js';
import { modelCost, type ModelKind } from '../../catalog/cost/model-costs.js';

/** Bytes of a model file: the catalogue's size, else the emulator cost model's guess from its name. */
export function modelBytes(file: string): number {
  const gb = modelSizeGb(file);
  return gb > 0 ? gb * 1e9 : modelCost(file, 'diffusion').weightsBytes;
}

export interface Residency {
  /** Least recently used first. */
  resident: string[];
  /** Files in host RAM (page cache, offloaded models), least recently used first. */
  inRam: string[];
  /**
   * Files of the last prompt run: ComfyUI's cache skips their loader nodes in the next one.
   * Unknown (a worker the router did not feed): the resident files are taken as that prompt's.
   */
  lastRun?: string[];
}

export interface LoadPlan extends Residency {
  /** Files that had to be (re)loaded, in order (a file reloaded twice in the run appears twice). */
  loads: string[];
  /** Disk reads (files not in RAM) + host→device copies, as the emulator's GpuState charges them. */
  loadMs: number;
  /** Part of `loadMs` spent reading from disk. */
  diskMs: number;
  lastRun: string[];
}

/** What a file does in a run, guessed from its name by the emulator's cost table. */
type Role = 'text' | 'diffusion' | 'vae' | 'lora';
const ROLE_KINDS: Array<[ModelKind, Role]> = [['vae', 'vae'], ['lora', 'lora'], ['clip-vision', 'text'], ['text-encoder', 'text']];
function roleOf(file: string): Role {
  for (const [kind, role] of ROLE_KINDS) if (!modelCost(file, kind).id.startsWith('guess-')) return role;
  return 'diffusion';
}

/** Activation memory a sampler keeps next to a diffusion model (the cost table's reference workload). */
function activationBytes(file: string): number {
  return modelCost(file, 'diffusion').activationBytes;
}

/**
 * What running a task that loads `models` does to a worker's VRAM and host RAM, the way
 * ComfyUI (and the emulator's GpuState) manages them, replayed in the emulator's order:
 * loader nodes load their files (skipped for files of the previous prompt: ComfyUI caches the
 * loader), then text encoders encode, each diffusion model samples (keeping room for its
 * activations), the VAE decodes. A resident model is reused; a missing one evicts the least
 * recently used others until it fits, and evicted ones are offloaded to RAM. A load costs the
 * host→device copy, plus the disk read when the file is not in RAM (first time, or pushed out
 * of the bounded RAM tier since). The router keeps this belief per worker from what it sent
 * there; it never needs the worker to report its loaded models.
 */
export function applyRun(state: Residency, models: readonly string[], profileId: GpuProfileId, vramTotalBytes: number, hostRamBytes?: number): LoadPlan {
  const profile = GPU_PROFILES[profileId];
  const capacity = vramTotalBytes - profile.reservedBytes;
  const ram = HostRamCache.of(hostCacheBytes({ ...profile, hostRamBytes: hostRamBytes ?? profile.hostRamBytes }), state.inRam, modelBytes);
  const resident = [...state.resident];
  const previous = new Set(state.lastRun ?? state.resident);
  const loads: string[] = [];
  let loadMs = 0;
  let diskMs = 0;
  const used = () => resident.reduce((sum, f) => sum + modelBytes(f), 0);
  const evictUntil = (free: number, keep: string): void => {
    for (const victim of [...resident]) {
      if (capacity - used() >= free) return;
      if (victim === keep) continue;
      resident.splice(resident.indexOf(victim), 1);
      ram.touch(victim, modelBytes(victim), new Set([keep]));
    }
  };
  const ensure = (file: string): void => {
    const at = resident.indexOf(file);
    if (at >= 0) {
      resident.splice(at, 1);
      resident.push(file);
      return;
    }
    const bytes = modelBytes(file);
    const disk = ram.has(file) ? 0 : (bytes / profile.diskBytesPerSec) * 1000;
    evictUntil(bytes, file);
    loadMs += disk + (Math.min(bytes, capacity) / profile.hostToDeviceBytesPerSec) * 1000;
    diskMs += disk;
    ram.touch(file, bytes);
    resident.push(file);
    loads.push(file);
  };
  const roles = new Map(models.map((f) => [f, roleOf(f)]));
  // Text encoders encode once the loaders before them in the graph ran (after the last fresh
  // text-encoder/VAE loader), which is before the diffusion loaders of a Wan graph and after
  // the UNETLoader of a Qwen-Image one.
  const lastAux = models.reduce((last, f, i) => (!previous.has(f) && (roles.get(f) === 'text' || roles.get(f) === 'vae') ? i : last), -1);
  const encode = () => {
    for (const file of models) if (roles.get(file) === 'text') ensure(file);
  };
  if (lastAux < 0) encode();
  models.forEach((file, i) => {
    if (!previous.has(file)) {
      if (roles.get(file) === 'lora') {
        // LoRAs are read into RAM and merged into the weights, never loaded on their own.
        const disk = ram.has(file) ? 0 : (modelBytes(file) / profile.diskBytesPerSec) * 1000;
        loadMs += disk;
        diskMs += disk;
        ram.touch(file, modelBytes(file));
      } else {
        ensure(file);
      }
    }
    if (i === lastAux) encode();
  });
  for (const file of models) {
    if (roles.get(file) !== 'diffusion') continue;
    ensure(file);
    evictUntil(activationBytes(file), file);
  }
  for (const file of models) if (roles.get(file) === 'vae') ensure(file);
  return { resident, inRam: ram.keys(), lastRun: [...models], loads, loadMs, diskMs };
}
