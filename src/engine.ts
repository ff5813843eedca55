import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { AssetStore } from './assets/index.js';
import { clientSettings, queueSqlitePath, type StoryCoreConfig } from './config/index.js';
import { alertMonitorFromConfig } from './engine/alerts.js';
import { NoWorkerConfiguredError } from './engine/errors/no-worker-configured-error.js';
import { engineDispatcherId, recoverDeadLeases } from './engine/lease-recovery.js';
import { metricsStorePath } from './engine/metrics-path.js';
import { startSimWorkers } from './engine/sim-workers.js';
import { storeSink } from './engine/store-sink.js';
import type { AlertMonitor } from './scheduler/alerts/index.js';
import { Dispatcher, WorkerPool, type PoolWorker } from './scheduler/dispatcher/index.js';
import { MetricsStore } from './scheduler/metrics/metrics-store.js';
import { openJobQueue, type JobQueue } from './scheduler/queue/index.js';
import { Router } from './scheduler/router/index.js';
import type { StrategyName } from './scheduler/strategies/strategy.js';
import type { Emulator, GpuProfileId } from './sim/index.js';
import { toEndpoint, WorkerRegistry, workersFile } from './workers/index.js';

export { NoWorkerConfiguredError } from './engine/errors/no-worker-configured-error.js';
export { GenerateFailedError } from './engine/errors/generate-failed-error.js';

/** Emulated workers, only when the user asked for them (`--sim`, `demo`, tests). */
export interface SimSettings {
  workers: number;
  profile: GpuProfileId;
  timeScale: number;
  /** Folder → model files every emulated worker lists. */
  models: Record<string, string[]>;
}

export interface EngineOptions {
  config: StoryCoreConfig;
  /** The project folder: asset store, queue and renders live under it. */
  projectDir: string;
  /** Where relative `paths.dataDir` (the local worker list) is resolved; default projectDir. */
  cwd?: string;
  sim?: SimSettings;
  /** An already open project state to use (and close with the engine). */
  state?: ProjectState;
}

/**
 * A project's durable state: its asset store and its job queue. Enough for `status`, `render`
 * and `gc`; `Engine.open` adds the workers and the dispatcher.
 */
export class ProjectState {
  private constructor(
    readonly projectDir: string,
    readonly store: AssetStore,
    readonly queue: JobQueue,
  ) {}

  /** `readOnly`: look without writing anything (`status`). */
  static async open(config: StoryCoreConfig, projectDir: string, options: { readOnly?: boolean } = {}): Promise<ProjectState> {
    const dir = resolve(projectDir);
    const readOnly = options.readOnly === true;
    const store = await AssetStore.open(dir, { dataDir: config.paths.dataDir, readOnly });
    try {
      const queue = await openJobQueue({
        backend: config.queue.backend,
        sqlitePath: queueSqlitePath(config, dir),
        ...(config.queue.backend === 'bullmq' ? { redisUrl: config.queue.redisUrl } : {}),
        redisConnectTimeoutMs: config.queue.redisConnectTimeoutMs,
        readOnly,
        name: 'storycore',
        leaseMs: config.queue.leaseMs,
        heartbeatMs: config.queue.heartbeatMs,
        maxAttempts: config.queue.maxAttempts,
      });
      return new ProjectState(dir, store, queue);
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.store.close();
  }
}

/**
 * The composition root: one validated config → the project state, the worker pool (the
 * configured and locally added workers, or emulators when asked), the router, the
 * dispatcher that writes outputs into the asset store and records metrics, and the alert
 * monitor of the config's `alerts` section. The emulator is never a silent fallback: with
 * no worker and no `sim`, `open` throws NoWorkerConfiguredError.
 *
 * @example
 * const engine = await Engine.open({ config, projectDir: '.', sim: undefined });
 * try { … engine.dispatcher.start() … } finally { await engine.close(); }
 */
export class Engine {
  private constructor(
    readonly state: ProjectState,
    readonly pool: WorkerPool,
    readonly dispatcher: Dispatcher,
    readonly emulators: readonly Emulator[],
    readonly workerUrls: ReadonlyMap<string, string>,
    /** The config's `alerts`: thresholds evaluated while the engine is open, posted to its webhook. */
    readonly alerts: AlertMonitor,
    /** Every attempt the dispatcher makes is recorded here, for `storycore metrics`. */
    readonly metrics: MetricsStore,
  ) {}

  get store(): AssetStore {
    return this.state.store;
  }

  get queue(): JobQueue {
    return this.state.queue;
  }

  /** The workers this engine would use, without opening anything (for the no-worker check). */
  static async configuredWorkers(config: StoryCoreConfig, cwd: string): Promise<PoolWorker[]> {
    const registry = await WorkerRegistry.open({ file: workersFile(resolve(cwd, config.paths.dataDir)), configured: config.workers });
    return registry.entries().map((entry) => ({ name: entry.name, endpoint: toEndpoint(entry) }));
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const { config } = options;
    const projectDir = resolve(options.projectDir);
    const configured = options.sim ? [] : await Engine.configuredWorkers(config, options.cwd ?? projectDir);
    if (!options.sim && configured.length === 0) throw new NoWorkerConfiguredError();
    let state: ProjectState | undefined = options.state;
    let metrics: MetricsStore | undefined;
    const emulators = options.sim ? await startSimWorkers({ count: options.sim.workers, profile: options.sim.profile, timeScale: options.sim.timeScale, models: options.sim.models }) : [];
    try {
      state ??= await ProjectState.open(config, projectDir);
      const workers: PoolWorker[] = options.sim ? emulators.map((e) => ({ name: e.name, endpoint: { url: e.url, name: e.name } })) : configured;
      const pool = new WorkerPool({ workers, client: clientSettings(config), monitor: { intervalMs: options.sim ? 2_000 : 15_000, timeoutMs: config.client.checkTimeoutMs } });
      await pool.start();
      await recoverDeadLeases(state.queue);
      // Where `storycore metrics` reads them: the queue's SQLite file, or <dataDir>/metrics.sqlite with BullMQ.
      metrics = new MetricsStore(metricsStorePath(config, projectDir, resolve(options.cwd ?? projectDir)));
      const dispatcher = new Dispatcher({
        queue: state.queue,
        pool,
        router: new Router({ strategy: config.scheduler.strategy as StrategyName }),
        id: engineDispatcherId(randomBytes(3).toString('hex')),
        sink: storeSink(state.store),
        heartbeatMs: config.queue.heartbeatMs,
        pollMs: options.sim ? 100 : 500,
        metrics,
      });
      const urls = new Map(workers.map((w) => [w.name, typeof w.endpoint === 'string' ? w.endpoint : w.endpoint.url]));
      const alerts = alertMonitorFromConfig(config.alerts, { health: pool.monitor, metrics, queue: state.queue });
      alerts.start();
      return new Engine(state, pool, dispatcher, emulators, urls, alerts, metrics);
    } catch (error) {
      metrics?.close();
      if (!options.state) await state?.close();
      await Promise.all(emulators.map((e) => e.close()));
      throw error;
    }
  }

  /** Stops the dispatcher (in-flight prompts are released, not cancelled), closes everything. */
  async close(): Promise<void> {
    this.alerts.stop();
    await this.dispatcher.stop({ mode: 'release' }).catch(() => undefined);
    this.metrics.close();
    await this.pool.close();
    await this.state.close();
    await Promise.all(this.emulators.map((e) => e.close()));
  }
}
