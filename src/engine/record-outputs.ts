import { existsSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ASSET_KINDS, type AssetKind, type AssetStore, type TaskManifest, type TaskOutput } from '../assets/index.js';
import type { DispatchedResult } from '../scheduler/dispatcher/index.js';
import type { BoundTask } from '../story/tasks/index.js';

/** The outputs of a run as store records: the first file of each kind is the task's role, others are numbered. */
export function taskOutputsOf(bound: BoundTask, result: Pick<DispatchedResult, 'outputs'>): TaskOutput[] {
  const wanted = bound.task.output.kind === 'video' ? 'video' : 'image';
  const ordered = [...result.outputs].sort((a, b) => Number(b.kind === wanted) - Number(a.kind === wanted));
  return ordered.map((o, i) => ({
    role: i === 0 ? bound.task.role : `${bound.task.role}-${i + 1}`,
    sha256: o.sha256,
    kind: (ASSET_KINDS as readonly string[]).includes(o.kind) ? (o.kind as AssetKind) : 'other',
    filename: o.filename,
    bytes: o.bytes,
  }));
}

/**
 * Records a finished run in the asset store (manifest with the full graph, parameters and
 * seeds, models and licences, worker, GPU and timings; then the index entry) and points
 * `renders/<shot>/<role>.<ext>` at the main output. The outputs are already stored objects.
 */
export async function recordRun(store: AssetStore, bound: BoundTask, taskHash: string, result: DispatchedResult, workerUrl: string): Promise<{ manifest: TaskManifest; outputs: TaskOutput[] }> {
  const outputs = taskOutputsOf(bound, result);
  const nodes = Object.fromEntries(Object.entries(result.timings.nodes).map(([id, n]) => [id, n.ms]));
  const manifest = await store.recordTaskOutputs(taskHash, outputs, {
    templateId: bound.task.templateId,
    templateVersion: bound.task.templateVersion,
    graph: bound.graph,
    params: bound.params,
    worker: { name: result.worker, url: workerUrl, gpu: result.gpu.name ?? result.gpu.profile },
    promptId: result.promptId,
    timings: {
      queuedMs: result.timings.queuedMs,
      uploadingMs: result.timings.uploadMs,
      ...(result.timings.executeMs !== null ? { executingMs: result.timings.executeMs } : {}),
      downloadingMs: result.timings.downloadMs,
      ...(Object.keys(nodes).length ? { perNodeMs: nodes } : {}),
    },
    inputs: bound.inputHashes,
  });
  await linkTask(store, bound.task.shotId, outputs);
  return { manifest, outputs };
}

/**
 * The readable link of a task's main output (`renders/shot-003/clip.mp4`) and its sidecar
 * manifest. A symlink already pointing at the object, with its sidecar, is left as it is:
 * an unchanged story re-links nothing.
 */
export async function linkTask(store: AssetStore, shotId: string, outputs: readonly TaskOutput[]): Promise<void> {
  const main = outputs[0];
  if (!main) return;
  const link = join(store.layout.renders, shotId, `${main.role}${extname(main.filename).toLowerCase()}`);
  const current = await readlink(link).catch(() => undefined);
  if (current !== undefined && resolve(dirname(link), current) === store.objectPath(main.sha256) && existsSync(sidecarOf(link))) return;
  await store.linkOutput(shotId, main);
}

function sidecarOf(link: string): string {
  return join(dirname(link), `${basename(link, extname(link))}.json`);
}
