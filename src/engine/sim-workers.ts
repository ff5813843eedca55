import { startEmulator, type Emulator, type GpuProfileId } from '../sim/index.js';

export interface SimWorkerOptions {
  count: number;
  profile: GpuProfileId;
  timeScale: number;
  /** Folder → model files each emulated worker lists (the files the planned tasks load). */
  models: Record<string, string[]>;
  /** 'auto' sends sampler preview frames, as ComfyUI started with --preview-method auto. */
  previewMethod?: 'none' | 'auto';
}

/**
 * In-process emulated ComfyUI workers on loopback, named `sim-1`, `sim-2`…: the same names on
 * every run, so prompt references stored in the queue name the same worker after a restart.
 */
export async function startSimWorkers(options: SimWorkerOptions): Promise<Emulator[]> {
  const started: Emulator[] = [];
  try {
    for (let i = 1; i <= options.count; i++) {
      started.push(await startEmulator({ host: '127.0.0.1', port: 0, name: `sim-${i}`, profile: options.profile, timeScale: options.timeScale, models: options.models, ...(options.previewMethod ? { previewMethod: options.previewMethod } : {}) }));
    }
    return started;
  } catch (error) {
    await Promise.all(started.map((e) => e.close()));
    throw error;
  }
}
