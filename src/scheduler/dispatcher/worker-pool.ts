import { ComfyClient } from '../../comfy/client/comfy-client.js';
import type { WorkerEndpoint } from '../../comfy/client/endpoint.js';
import type { ComfyClientOptions } from '../../comfy/client/options.js';
import { HealthMonitor, type HealthMonitorOptions } from '../../workers/health.js';
import { Inventory, type InventoryOptions, type WorkerSnapshot } from '../../workers/inventory.js';
import { profileForGpu, workerViewFromInventory } from '../router/worker-view.js';
import type { QueuedWork, WorkerView } from '../router/types.js';
import type { PolicyWorker } from '../failure-policy/types.js';

export interface PoolWorker {
  name: string;
  endpoint: WorkerEndpoint | string;
}

export interface WorkerPoolOptions {
  workers?: readonly PoolWorker[];
  /** Options of each worker's ComfyClient (socket on; tests shorten the silence/poll times). */
  client?: ComfyClientOptions;
  monitor?: HealthMonitorOptions;
  inventory?: InventoryOptions;
  /** Prompts the monitor may see on a worker before calling it full; above what we queue ourselves. */
  maxQueued?: number;
}

/**
 * The live workers a dispatcher sends prompts to: one ComfyClient (with its event socket) per
 * worker, the inventory (node classes, model files, VRAM, resident models) and the health
 * monitor. A worker is dispatchable when the monitor says so and its inventory is known.
 */
export class WorkerPool {
  readonly inventory: Inventory;
  readonly monitor: HealthMonitor;
  private readonly endpoints = new Map<string, WorkerEndpoint>();
  private readonly clients = new Map<string, ComfyClient>();
  private readonly unsubscribe: Array<() => void> = [];
  private started = false;

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.monitor = new HealthMonitor(options.monitor);
    // The inventory's reads get the pool's client timeouts (config client.*), never the 120 s defaults.
    const client = options.client;
    this.inventory = new Inventory({
      events: this.monitor.events,
      ...(client ? { source: (endpoint: WorkerEndpoint) => new ComfyClient(endpoint, { ...client, socket: false }) } : {}),
      ...options.inventory,
    });
    this.unsubscribe.push(this.inventory.follow(this.monitor.events));
    // A worker that answers again may have restarted with other models: look again.
    this.unsubscribe.push(this.monitor.events.on('worker.recovered', (e) => void this.inventory.refresh(e.worker).catch(() => undefined)));
    for (const w of options.workers ?? []) this.add(w);
  }

  add(worker: PoolWorker): void {
    const endpoint = typeof worker.endpoint === 'string' ? { url: worker.endpoint, name: worker.name } : worker.endpoint;
    this.endpoints.set(worker.name, endpoint);
    this.inventory.track(worker.name, endpoint);
    this.monitor.add({ name: worker.name, endpoint, maxQueued: this.options.maxQueued ?? 64 });
    if (this.started) void this.inventory.refresh(worker.name).catch(() => undefined);
  }

  remove(name: string): void {
    this.monitor.remove(name);
    this.inventory.untrack(name);
    this.endpoints.delete(name);
    const client = this.clients.get(name);
    this.clients.delete(name);
    void client?.close();
  }

  /** Reads every inventory and checks every worker once, then keeps monitoring. */
  async start(): Promise<void> {
    this.started = true;
    await Promise.allSettled([this.inventory.refreshAll(), this.monitor.checkAll()]);
    this.monitor.start();
  }

  names(): string[] {
    return [...this.endpoints.keys()];
  }

  has(name: string): boolean {
    return this.endpoints.has(name);
  }

  client(name: string): ComfyClient {
    let client = this.clients.get(name);
    if (!client) {
      const endpoint = this.endpoints.get(name);
      if (!endpoint) throw new Error(`worker '${name}' is not in the pool`);
      client = new ComfyClient(endpoint, this.options.client);
      this.clients.set(name, client);
    }
    return client;
  }

  /** Closes the worker's client (its socket and every watcher on it); the next call makes a new one. */
  async resetClient(name: string): Promise<void> {
    const client = this.clients.get(name);
    this.clients.delete(name);
    await client?.close().catch(() => undefined);
  }

  snapshot(name: string): WorkerSnapshot | undefined {
    return this.inventory.snapshot(name);
  }

  healthy(name: string): boolean {
    return this.monitor.canDispatch(name) && this.snapshot(name) !== undefined;
  }

  /** How long the worker has been down (0 when it is not down). */
  downForMs(name: string, now = Date.now()): number {
    const health = this.monitor.health(name);
    return health?.state === 'down' ? Math.max(0, now - health.since) : 0;
  }

  /** The router's view of a worker with the work we have on it; undefined before its inventory is known. */
  view(name: string, queue: readonly QueuedWork[] = []): WorkerView | undefined {
    const snapshot = this.snapshot(name);
    if (!snapshot) return undefined;
    const free = this.monitor.health(name)?.stats?.devices[0]?.vram_free ?? snapshot.vramFreeBytes;
    return workerViewFromInventory(snapshot, {
      resident: snapshot.resident.map((m) => m.file).reverse(),
      queue,
      healthy: this.healthy(name),
      ...(free !== undefined ? { vramFreeBytes: free } : {}),
    });
  }

  /** Every known worker as the failure policy sees it. */
  policyWorkers(): PolicyWorker[] {
    return this.names().flatMap((name) => {
      const view = this.view(name);
      return view ? [{ name, profile: view.profile, vramTotalBytes: view.vramTotalBytes, vramFreeBytes: view.vramFreeBytes, healthy: view.healthy }] : [];
    });
  }

  profileOf(name: string): string {
    const s = this.snapshot(name);
    return s ? profileForGpu(s.gpuName, s.vramBytes) : 'unknown';
  }

  async close(): Promise<void> {
    this.monitor.stop();
    this.inventory.stop();
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.all([...this.clients.keys()].map((name) => this.resetClient(name)));
  }
}
