import type { HealthState } from './worker-list-file.js';

/** Every event the live-worker layer emits, by name. `at` is the injected clock's time (ms). */
export interface WorkerEventMap {
  'worker.state_changed': { worker: string; from: HealthState; to: HealthState; reason: string; at: number };
  'worker.circuit_opened': { worker: string; failures: number; reason: string; retryAt: number; at: number };
  'worker.circuit_half_open': { worker: string; at: number };
  'worker.circuit_closed': { worker: string; at: number };
  /** A down worker answered again (it may have restarted: resident models are unknown). */
  'worker.recovered': { worker: string; downForMs: number; at: number };
  /** Inventory saw signs of a restart (system_stats changed, or down then up). */
  'worker.restarted': { worker: string; reason: string; at: number };
  'worker.inventory_refreshed': { worker: string; classes: number; at: number };
  'worker.inventory_failed': { worker: string; reason: string; at: number };
}

export type WorkerEventName = keyof WorkerEventMap;
export type WorkerEventListener<K extends WorkerEventName> = (event: WorkerEventMap[K]) => void;

/**
 * A typed listener set. A throwing listener is reported to `onListenerError` and does not
 * stop the others: a bug in a dashboard must not stop health checks.
 */
export class WorkerEvents {
  private readonly listeners = new Map<WorkerEventName, Set<(event: never) => void>>();

  constructor(private readonly onListenerError: (error: unknown, name: WorkerEventName) => void = () => {}) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends WorkerEventName>(name: K, listener: WorkerEventListener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (event: never) => void);
    return () => this.off(name, listener);
  }

  off<K extends WorkerEventName>(name: K, listener: WorkerEventListener<K>): void {
    this.listeners.get(name)?.delete(listener as (event: never) => void);
  }

  emit<K extends WorkerEventName>(name: K, event: WorkerEventMap[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        (listener as WorkerEventListener<K>)(event);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
  }
}
