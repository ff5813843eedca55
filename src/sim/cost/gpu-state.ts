import { NodeFailure } from '../execution/node-executor.js';
import { hostCacheBytes, type GpuProfile } from '../../catalog/cost/gpu-profiles.js';
import { HostRamCache } from '../../catalog/cost/host-ram-cache.js';

/** One loadable set of weights: a file (or a part of a checkpoint) at a given dtype. */
export interface ModelRef {
  /** Residency key, e.g. `wan2.2_..._14B_fp8_scaled.safetensors` or `sd15.ckpt#clip`. */
  key: string;
  bytes: number;
}

interface Resident {
  ref: ModelRef;
  /** Bytes actually on the device (less than ref.bytes when partially loaded, like ComfyUI's lowvram). */
  loadedBytes: number;
  lastUse: number;
}

/** /system_stats `devices[0]` memory fields. */
export interface VramSnapshot {
  vram_total: number;
  vram_free: number;
  torch_vram_total: number;
  torch_vram_free: number;
  loaded_models: string[];
}

/**
 * VRAM of the emulated GPU, managed the way ComfyUI's model_management does: models stay
 * resident after use; loading one evicts the least recently used others until it fits; a
 * model larger than the card is partially loaded. A sampler's working set (its models'
 * weights plus one pass's activations) must fit the card even after evicting everything
 * else, otherwise the step fails with torch's OOM error.
 */
export class GpuState {
  private readonly resident = new Map<string, Resident>();
  /** Weights in host RAM (page cache, offloaded models): reloading them skips the disk while they fit. */
  private readonly ram: HostRamCache;
  /** Activation memory the caching allocator keeps after a step (torch_vram_free). */
  private cachedBytes = 0;
  private clock = 0;

  constructor(readonly profile: GpuProfile) {
    this.ram = new HostRamCache(hostCacheBytes(profile));
  }

  get totalBytes(): number {
    return this.profile.vramBytes;
  }

  /** Bytes usable by weights and activations. */
  private get capacity(): number {
    return this.profile.vramBytes - this.profile.reservedBytes;
  }

  private get residentBytes(): number {
    let sum = 0;
    for (const r of this.resident.values()) sum += r.loadedBytes;
    return sum;
  }

  get freeBytes(): number {
    return Math.max(0, this.capacity - this.residentBytes - this.cachedBytes);
  }

  isResident(key: string): boolean {
    return this.resident.has(key);
  }

  residentKeys(): string[] {
    return [...this.resident.values()].sort((a, b) => a.lastUse - b.lastUse).map((r) => r.ref.key);
  }

  /** Whether `key` is in host RAM (a reload would skip the disk). */
  isInRam(key: string): boolean {
    return this.ram.has(key);
  }

  /** Files in host RAM, least recently used first. */
  ramKeys(): string[] {
    return this.ram.keys();
  }

  /**
   * Makes `ref` resident and returns the simulated milliseconds it took: 0 when already
   * resident, host→device copy when the file is in RAM, plus the disk read when it is not
   * (first use, or pushed out of RAM since). Models evicted to make room go to RAM.
   */
  ensureLoaded(ref: ModelRef): number {
    this.clock += 1;
    const existing = this.resident.get(ref.key);
    if (existing && existing.loadedBytes >= Math.min(ref.bytes, this.capacity)) {
      existing.lastUse = this.clock;
      return 0;
    }
    this.cachedBytes = 0;
    const fromRam = this.ram.has(ref.key);
    this.evictUntilFree(ref.bytes - (existing?.loadedBytes ?? 0), new Set([ref.key]));
    const loadedBytes = Math.min(ref.bytes, this.capacity - this.residentBytes + (existing?.loadedBytes ?? 0));
    const diskMs = fromRam ? 0 : (ref.bytes / this.profile.diskBytesPerSec) * 1000;
    const copyMs = ((loadedBytes - (existing?.loadedBytes ?? 0)) / this.profile.hostToDeviceBytesPerSec) * 1000;
    this.ram.touch(ref.key, ref.bytes);
    this.resident.set(ref.key, { ref, loadedBytes, lastUse: this.clock });
    return diskMs + copyMs;
  }

  /** Reads a file into RAM only (LoRAs are merged into weights, not kept on the device). */
  readFromDisk(ref: ModelRef): number {
    const fromRam = this.ram.has(ref.key);
    this.ram.touch(ref.key, ref.bytes);
    return fromRam ? 0 : (ref.bytes / this.profile.diskBytesPerSec) * 1000;
  }

  /**
   * Reserves one pass's activations next to `models` (which must stay resident). Evicts other
   * models LRU-first; throws ComfyUI's OOM when weights + activations exceed the card.
   * Returns the ms spent reloading any of `models` that had been evicted.
   */
  activations(models: ModelRef[], activationBytes: number): number {
    const weights = models.reduce((sum, m) => sum + m.bytes, 0);
    if (weights + activationBytes > this.capacity) {
      // ComfyUI unloads every model after an OOM before it runs the next prompt.
      this.unloadAll();
      throw new NodeFailure('torch.OutOfMemoryError', 'Allocation on device ');
    }
    let ms = 0;
    for (const m of models) ms += this.ensureLoaded(m);
    const keep = new Set(models.map((m) => m.key));
    this.cachedBytes = 0;
    this.evictUntilFree(activationBytes, keep);
    this.cachedBytes = activationBytes;
    return ms;
  }

  /** `POST /free {unload_models: true}` and the post-OOM cleanup. */
  unloadAll(): void {
    // ComfyUI moves unloaded models to the offload device (RAM), oldest first.
    for (const r of [...this.resident.values()].sort((a, b) => a.lastUse - b.lastUse)) this.ram.touch(r.ref.key, r.ref.bytes);
    this.resident.clear();
    this.cachedBytes = 0;
  }

  /** `POST /free {free_memory: true}` also drops what the allocator caches. */
  freeMemory(): void {
    this.cachedBytes = 0;
  }

  snapshot(): VramSnapshot {
    const total = this.profile.vramBytes;
    const used = this.residentBytes + this.cachedBytes + this.profile.reservedBytes;
    return {
      vram_total: total,
      vram_free: Math.max(0, total - used),
      torch_vram_total: this.residentBytes + this.cachedBytes,
      torch_vram_free: this.cachedBytes,
      loaded_models: this.residentKeys(),
    };
  }

  private evictUntilFree(bytes: number, keep: Set<string>): void {
    const victims = [...this.resident.values()].filter((r) => !keep.has(r.ref.key)).sort((a, b) => a.lastUse - b.lastUse);
    for (const victim of victims) {
      if (this.capacity - this.residentBytes - this.cachedBytes >= bytes) return;
      this.resident.delete(victim.ref.key);
      // Offloaded to RAM, never pushing out what is being loaded or kept on the card.
      this.ram.touch(victim.ref.key, victim.ref.bytes, keep);
    }
  }
}
