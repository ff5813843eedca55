import { join } from 'node:path';
import { ComfyClient } from '../comfy/client/index.js';
import { startEmulator, type Emulator } from '../sim/index.js';
import type { GpuProfileId } from '../sim/cost/gpu-profiles.js';
import { exampleGraphs, exampleModels, type ExampleGraph } from './example-graphs.js';
import type { RunProgress } from './job-progress.js';
import { runGraph, type SavedFile } from './run-graph.js';

export { runGraph, type GraphRunOptions, type GraphRunResult, type SavedFile } from './run-graph.js';
export { exampleGraphs, exampleModels, EXAMPLES_DIR, type ExampleGraph } from './example-graphs.js';
export type { RunProgress } from './job-progress.js';
export { RunTimeoutError } from './errors/run-timeout-error.js';
export { RunStoppedError } from './errors/run-stopped-error.js';

export interface DemoOptions {
  outDir: string;
  profile?: GpuProfileId;
  timeScale?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onGraphStart?(example: ExampleGraph, emulatorUrl: string): void;
  onProgress?(example: ExampleGraph, progress: RunProgress): void;
}

export interface DemoResult {
  emulatorUrl: string;
  graphs: Array<{ name: string; promptId: string; files: SavedFile[] }>;
}

/**
 * The no-GPU tour: starts the emulator in-process (asked for explicitly, never a fallback),
 * runs every example graph end to end and saves the outputs under `outDir/<graph name>/`.
 * Until the story pipeline exists this is what `storycore demo` shows.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const emulator: Emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    name: 'demo',
    models: exampleModels(),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
  });
  const client = new ComfyClient({ url: emulator.url, name: emulator.name });
  try {
    const graphs: DemoResult['graphs'] = [];
    for (const example of exampleGraphs()) {
      options.onGraphStart?.(example, emulator.url);
      const result = await runGraph(client, example.graph, {
        outDir: join(options.outDir, example.name),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => options.onProgress?.(example, progress),
      });
      graphs.push({ name: example.name, promptId: result.promptId, files: result.files });
    }
    return { emulatorUrl: emulator.url, graphs };
  } finally {
    client.close();
    await emulator.close();
  }
}
