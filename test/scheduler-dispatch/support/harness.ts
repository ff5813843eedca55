import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { templateById } from '../../../src/catalog/templates/registry.js';
import { dispatchJob } from '../../../src/scheduler/dispatcher/job-payload.js';
import type { NewJob } from '../../../src/scheduler/queue/job-queue.js';
import { WorkerPool, type WorkerPoolOptions } from '../../../src/scheduler/dispatcher/worker-pool.js';
import { startEmulator, type Emulator, type FaultRule, type GpuProfileId } from '../../../src/sim/index.js';

/** Model lists that let the emulator run these template parameter sets. */
export function modelsFor(runs: Array<{ templateId: string; params?: Record<string, unknown> }>): Record<string, string[]> {
  const models: Record<string, string[]> = {};
  for (const { templateId, params } of runs) {
    for (const m of templateById(templateId).requirements(params ?? {}).models) {
      const list = (models[m.folder] ??= []);
      if (!list.includes(m.file)) list.push(m.file);
    }
  }
  return models;
}

export interface EmulatedWorker {
  name: string;
  profile?: GpuProfileId;
  timeScale?: number;
  faults?: FaultRule[];
  models: Record<string, string[]>;
}

export async function startWorkers(specs: EmulatedWorker[]): Promise<Map<string, Emulator>> {
  const emulators = new Map<string, Emulator>();
  for (const s of specs) {
    emulators.set(s.name, await startEmulator({ name: s.name, profile: s.profile ?? 'rtx4090', timeScale: s.timeScale ?? 0.01, models: s.models, faults: s.faults ?? [] }));
  }
  return emulators;
}

/** Short timeouts so failures are noticed in test time; behaviour, not wall-clock figures, is asserted. */
export const FAST_POOL: WorkerPoolOptions = {
  client: {
    pollIntervalMs: 50,
    silenceTimeoutMs: 400,
    unreachableTimeoutMs: 1_500,
    socketOpenTimeoutMs: 1_000,
    reconnect: { initialDelayMs: 25, maxDelayMs: 200 },
    requestTimeoutMs: 3_000,
    getRetries: 1,
    downloadRetries: 1,
  },
  monitor: { intervalMs: 100, timeoutMs: 800, backoff: { baseMs: 50, maxMs: 200 }, minRecheckMs: 20, circuit: { failureThreshold: 5, coolDownMs: 300 } },
};

export function poolFor(emulators: Map<string, Emulator>, options: WorkerPoolOptions = FAST_POOL): WorkerPool {
  return new WorkerPool({ ...options, workers: [...emulators.entries()].map(([name, e]) => ({ name, endpoint: e.url })) });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A tiny PNG (1×1) as an input file. */
export function writePng(path: string): string {
  writeFileSync(path, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
  return path;
}

export function sd15Job(id: string, seed = 1, priority = 0): NewJob {
  return dispatchJob({ id, kind: 'keyframe', priority, payload: { templateId: 'sd15-t2i', params: { seed, prompt: `shot ${id}` } } });
}

/** Resolves with the first event `name` whose payload passes `test`. */
export function waitForEvent<T>(emitter: EventEmitter, name: string, test: (e: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (e: T) => {
      if (!test(e)) return;
      emitter.off(name, listener);
      resolve(e);
    };
    emitter.on(name, listener);
  });
}

/** Polls `check` until it returns a value (no fixed sleeps in assertions). */
export async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
