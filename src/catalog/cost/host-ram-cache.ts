/**
 * The host-RAM tier of model weights: what the OS page cache and ComfyUI's offloaded copies
 * hold, as one least-recently-used set of files bounded by the RAM left for them. A file in it
 * reloads with a host→device copy only; a file not in it is read from disk again. Shared by
 * the emulator's `GpuState` and the router's residency belief so both charge the same.
 */
export class HostRamCache {
  /** Key → bytes, least recently used first (Map keeps insertion order). */
  private readonly files = new Map<string, number>();

  constructor(readonly capacityBytes: number) {}

  has(key: string): boolean {
    return this.files.has(key);
  }

  get usedBytes(): number {
    let sum = 0;
    for (const b of this.files.values()) sum += b;
    return sum;
  }

  /** Keys, least recently used first. */
  keys(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Reads or offloads `key` into RAM as the most recently used file, dropping the least
   * recently used others (never those in `keep`) until it fits. A file larger than the whole
   * cache is streamed through and not kept. Returns whether it is now cached.
   */
  touch(key: string, bytes: number, keep: ReadonlySet<string> = new Set()): boolean {
    this.files.delete(key);
    if (bytes > this.capacityBytes) return false;
    let used = this.usedBytes;
    for (const [victim, size] of [...this.files]) {
      if (used + bytes <= this.capacityBytes) break;
      if (keep.has(victim)) continue;
      this.files.delete(victim);
      used -= size;
    }
    if (used + bytes > this.capacityBytes) return false;
    this.files.set(key, bytes);
    return true;
  }

  /** A cache with `keys` (least recently used first) already in it, sized by `bytesOf`. */
  static of(capacityBytes: number, keys: readonly string[], bytesOf: (key: string) => number): HostRamCache {
    const cache = new HostRamCache(capacityBytes);
    for (const k of keys) cache.touch(k, bytesOf(k));
    return cache;
  }
}
