import { join, resolve, sep } from 'node:path';
import type { ComfyClient, JobHandle, OutputFile } from '../comfy/client/index.js';
import type { SubmitOptions } from '../comfy/client/job-types.js';
import type { ApiGraph } from '../comfy/graph.js';
import { StoryCoreError } from '../errors/storycore-error.js';
import { RunStoppedError } from './errors/run-stopped-error.js';
import { RunTimeoutError } from './errors/run-timeout-error.js';
import { progressFromEvent, type RunProgress } from './job-progress.js';
import { ensureDir } from '../platform/ensure-dir.js';

export interface GraphRunOptions {
  /** Where output files are saved, keeping the worker's subfolders. */
  outDir: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?(progress: RunProgress): void;
  /** Request fields passed through to `POST /prompt` (prompt_id, number, front, extra_data, targets). */
  submit?: Omit<SubmitOptions, 'timeoutMs'>;
}

export interface SavedFile {
  nodeId: string;
  kind: OutputFile['kind'];
  /** As named on the worker: `subfolder/filename`. */
  name: string;
  path: string;
  bytes: number;
  sha256: string;
}

export interface GraphRunResult {
  promptId: string;
  files: SavedFile[];
}

/**
 * Submits one API graph, reports progress as the worker runs it, then downloads every output
 * file into `outDir` and returns each file's path and sha256. Times out (cancelling the job)
 * after `timeoutMs`, and cancels the job when `signal` aborts.
 */
export async function runGraph(client: ComfyClient, graph: ApiGraph, options: GraphRunOptions): Promise<GraphRunResult> {
  if (options.signal?.aborted) throw new RunStoppedError(undefined);
  const handle = await client.submit(graph, options.submit);
  void followEvents(handle, graph, options.onProgress);
  const result = await settle(handle, options);

  const files: SavedFile[] = [];
  for (const file of result.files) {
    if (options.signal?.aborted) throw new RunStoppedError(handle.promptId);
    const destination = destinationOf(options.outDir, file);
    await ensureDir(join(destination, '..'));
    const saved = await client.download(file, destination);
    files.push({
      nodeId: file.nodeId,
      kind: file.kind,
      name: file.subfolder ? `${file.subfolder}/${file.filename}` : file.filename,
      path: saved.path,
      bytes: saved.bytes,
      sha256: saved.sha256,
    });
  }
  return { promptId: handle.promptId, files };
}

async function followEvents(handle: JobHandle, graph: ApiGraph, onProgress: GraphRunOptions['onProgress']): Promise<void> {
  if (!onProgress) return;
  try {
    for await (const event of handle.events) {
      const progress = progressFromEvent(event, graph);
      if (progress) onProgress(progress);
    }
  } catch {
    // The display is best effort: result() reports the job's real outcome.
  }
}

/** result(), raced against the timeout and the abort signal; both cancel the job. */
async function settle(handle: JobHandle, options: GraphRunOptions): Promise<Awaited<ReturnType<JobHandle['result']>>> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stops: Array<Promise<never>> = [];
  if (options.timeoutMs !== undefined) {
    const ms = options.timeoutMs;
    stops.push(
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RunTimeoutError(handle.promptId, ms)), ms);
      }),
    );
  }
  if (options.signal) {
    const signal = options.signal;
    stops.push(
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new RunStoppedError(handle.promptId));
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    );
  }
  try {
    return await Promise.race([handle.result(), ...stops]);
  } catch (error) {
    if (error instanceof RunTimeoutError || error instanceof RunStoppedError) await handle.cancel().catch(() => {});
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** `outDir/subfolder/filename`, refusing names that would escape `outDir`. */
function destinationOf(outDir: string, file: OutputFile): string {
  const root = resolve(outDir);
  const destination = resolve(root, file.subfolder ?? '', file.filename);
  if (!destination.startsWith(root + sep)) {
    throw new StoryCoreError('OUTPUT_NAME_UNSAFE', `the worker named an output file outside the output folder: ${file.subfolder}/${file.filename}`, {
      hint: 'this worker is misbehaving; check its custom nodes',
    });
  }
  return destination;
}
