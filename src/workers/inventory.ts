import { ComfyClient } from '../comfy/client/comfy-client.js';
import type { WorkerEndpoint } from '../comfy/client/endpoint.js';
import type { ApiGraph } from '../comfy/graph.js';
import type { ObjectInfo } from '../comfy/object-info/types.js';
import type { SystemStats } from '../comfy/protocol/routes.js';
import type { WorkerInventory } from '../catalog/preflight/types.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { WorkerEvents } from './events.js';
import { loaderFilesOf, type ResidentModel } from './resident-models.js';

/** The calls an inventory makes (ComfyClient satisfies it; tests may pass a fake). */
export interface InventorySource {
  objectInfo(): Promise<ObjectInfo>;
  models(folder?: string): Promise<string[]>;
  systemStats(): Promise<SystemStats>;
  close?(): unknown;
}

export type InventorySourceFactory = (endpoint: WorkerEndpoint) => InventorySource;

/**
 * What one worker offers and holds. It is a preflight `WorkerInventory` ({name, url,
 * objectInfo, models, vramBytes, gpuName}; the memory is system RAM on a CPU worker, the GPU
 * name only for a GPU) plus what the scheduler wants: free VRAM, the ComfyUI version and the models
 * believed resident.
 */
export interface WorkerSnapshot extends WorkerInventory {
  /** Node classes in `/object_info`. */
  classCount: number;
  /** `/models`: the folder keys the worker has. */
  modelFolders: string[];
  deviceType?: string;
  vramTotalBytes?: number;
  vramFreeBytes?: number;
  comfyuiVersion?: string;
  resident: ResidentModel[];
  refreshedAt: number;
}

export interface InventoryOptions {
  /** Builds the client for a worker; default a ComfyClient without socket. */
  source?: InventorySourceFactory;
  clock?: Clock;
  events?: WorkerEvents;
  /** Refresh period when started. Default 5 minutes (object_info is multi-MB on big installs). */
  intervalMs?: number;
}

/** Folder keys whose "files" are not models. */
const SKIPPED_FOLDERS = new Set(['custom_nodes']);

interface Tracked {
  endpoint: WorkerEndpoint;
  snapshot?: WorkerSnapshot;
  /** What /system_stats said at the last refresh that does not change while the process lives. */
  boot?: string;
  resident: Map<string, ResidentModel>;
  inFlight?: Promise<WorkerSnapshot>;
}

/**
 * Per-worker inventories: node classes, model files per folder, GPU and VRAM, refreshed on
 * demand and on an interval; and the models each worker holds, learned from the jobs that
 * completed there. Resident models are forgotten on `/free` and when the worker restarted
 * (its boot facts in /system_stats changed, or it was down and answered again).
 *
 * @example
 * const inventory = new Inventory({ events: monitor.events });
 * inventory.track('gpu-1', endpoint);
 * inventory.follow(monitor.events);
 * const snapshot = await inventory.refresh('gpu-1');
 * preflight(graph, snapshot);
 */
export class Inventory {
  readonly events: WorkerEvents;
  private readonly clock: Clock;
  private readonly source: InventorySourceFactory;
  private readonly intervalMs: number;
  private readonly tracked = new Map<string, Tracked>();
  private timer: TimerHandle | undefined;

  constructor(options: InventoryOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.events = options.events ?? new WorkerEvents();
    this.source = options.source ?? defaultSource;
    this.intervalMs = options.intervalMs ?? 300_000;
  }

  track(name: string, endpoint: WorkerEndpoint): void {
    const existing = this.tracked.get(name);
    if (existing) existing.endpoint = endpoint;
    else this.tracked.set(name, { endpoint, resident: new Map() });
  }

  untrack(name: string): void {
    this.tracked.delete(name);
  }

  snapshot(name: string): WorkerSnapshot | undefined {
    const t = this.tracked.get(name);
    return t?.snapshot ? { ...t.snapshot, resident: residentList(t) } : undefined;
  }

  snapshots(): WorkerSnapshot[] {
    return [...this.tracked.keys()].map((n) => this.snapshot(n)).filter((s) => s !== undefined);
  }

  /** Reads the worker's object_info, model folders and system stats (joins a refresh in flight). */
  refresh(name: string): Promise<WorkerSnapshot> {
    const t = this.tracked.get(name);
    if (!t) return Promise.reject(new Error(`worker '${name}' is not tracked by the inventory`));
    t.inFlight ??= this.load(name, t).finally(() => {
      t.inFlight = undefined;
    });
    return t.inFlight;
  }

  /** Refreshes every worker; a worker that fails keeps its previous snapshot. */
  async refreshAll(): Promise<WorkerSnapshot[]> {
    const results = await Promise.allSettled([...this.tracked.keys()].map((n) => this.refresh(n)));
    return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  /** Refreshes now and then every `intervalMs`. */
  start(): void {
    this.stop();
    const tick = (): void => {
      void this.refreshAll().finally(() => {
        if (this.timer !== undefined) this.timer = this.clock.setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = this.clock.setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A job finished on the worker: the files its loaders named are now in memory there. */
  recordCompletedJob(name: string, graph: ApiGraph): void {
    const t = this.tracked.get(name);
    if (!t) return;
    const at = this.clock.now();
    for (const { folder, file } of loaderFilesOf(graph, t.snapshot?.objectInfo)) {
      t.resident.set(`${folder}/${file}`, { folder, file, lastUsedAt: at });
    }
  }

  /** `POST /free` was sent: with `unloadModels`, nothing stays resident. */
  recordFree(name: string, options: { unloadModels?: boolean } = {}): void {
    if (options.unloadModels) this.tracked.get(name)?.resident.clear();
  }

  /** The worker process restarted: whatever it held is gone. */
  markRestarted(name: string, reason: string): void {
    const t = this.tracked.get(name);
    if (!t) return;
    t.resident.clear();
    this.events.emit('worker.restarted', { worker: name, reason, at: this.clock.now() });
  }

  /** Treats a down worker that answers again as restarted. Returns the unsubscribe function. */
  follow(events: WorkerEvents): () => void {
    return events.on('worker.recovered', (e) => this.markRestarted(e.worker, `was down for ${e.downForMs} ms and answers again`));
  }

  private async load(name: string, t: Tracked): Promise<WorkerSnapshot> {
    const client = this.source(t.endpoint);
    try {
      const [objectInfo, folders, stats] = await Promise.all([client.objectInfo(), client.models(), client.systemStats()]);
      const wanted = folders.filter((f) => !SKIPPED_FOLDERS.has(f));
      // A folder a custom node registered may 404 on its own; the others still count.
      const lists = await Promise.all(wanted.map((f) => client.models(f).catch(() => undefined)));
      const models: Record<string, string[]> = {};
      wanted.forEach((folder, i) => {
        const files = lists[i];
        if (files) models[folder] = files;
      });
      const boot = bootFacts(stats);
      if (t.boot !== undefined && t.boot !== boot) this.markRestarted(name, 'its /system_stats boot facts changed (argv, RAM, versions or device)');
      t.boot = boot;
      const device = stats.devices[0];
      const gpu = device !== undefined && device.type !== 'cpu';
      const at = this.clock.now();
      t.snapshot = {
        name,
        url: t.endpoint.url,
        objectInfo,
        models,
        // On a CPU worker vram_total is system RAM: still the memory preflight checks against.
        ...(device ? { vramBytes: device.vram_total } : {}),
        ...(gpu ? { gpuName: device.name } : {}),
        classCount: Object.keys(objectInfo).length,
        modelFolders: folders,
        ...(device ? { deviceType: device.type, vramTotalBytes: device.vram_total, vramFreeBytes: device.vram_free } : {}),
        ...(stats.system.comfyui_version ? { comfyuiVersion: stats.system.comfyui_version } : {}),
        resident: [],
        refreshedAt: at,
      };
      this.events.emit('worker.inventory_refreshed', { worker: name, classes: t.snapshot.classCount, at });
      return { ...t.snapshot, resident: residentList(t) };
    } catch (error) {
      this.events.emit('worker.inventory_failed', { worker: name, reason: error instanceof Error ? error.message : String(error), at: this.clock.now() });
      throw error;
    } finally {
      await client.close?.();
    }
  }
}

/** Facts that only change when the ComfyUI process is replaced. */
export function bootFacts(stats: SystemStats): string {
  const s = stats.system;
  const d = stats.devices[0];
  return JSON.stringify([s.argv, s.ram_total, s.comfyui_version ?? null, s.python_version, s.pytorch_version, d?.name ?? null, d?.vram_total ?? null]);
}

function residentList(t: Tracked): ResidentModel[] {
  return [...t.resident.values()].sort((a, b) => b.lastUsedAt - a.lastUsedAt);
}

function defaultSource(endpoint: WorkerEndpoint): InventorySource {
  return new ComfyClient(endpoint, { socket: false });
}
