import type { HistoryEntry } from './history-store.js';
import type { QueueItem } from './prompt-queue.js';
import { queueTuple } from './prompt-queue.js';

/**
 * Current ComfyUI's job view (comfy_execution/jobs.py): queue items and history entries as one
 * kind of record, for `GET /api/jobs` and `GET /api/jobs/{id}`. Keys whose value is None are
 * left out (`prune_dict`).
 */
export const JOB_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobView = Record<string, unknown> & { id: string; status: JobStatus; create_time?: number; execution_start_time?: number; execution_end_time?: number };

const PREVIEWABLE = new Set(['images', 'video', 'audio', '3d', 'text']);
const THREE_D = ['.obj', '.fbx', '.gltf', '.glb', '.usdz'];
const TEXT = ['.txt', '.md', '.json'];

function pruned(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined));
}

function metadata(extraData: Record<string, unknown>): { createTime: unknown; workflowId: unknown } {
  const pnginfo = (extraData.extra_pnginfo ?? {}) as { workflow?: { id?: unknown } };
  return { createTime: extraData.create_time, workflowId: pnginfo.workflow?.id };
}

export function queuedJob(item: QueueItem, status: 'pending' | 'in_progress', includeWorkflow = false): JobView {
  const { createTime, workflowId } = metadata(item.extraData);
  const tuple = queueTuple(item);
  const job = pruned({ id: item.promptId, status, priority: tuple[0], create_time: createTime, outputs_count: 0, previewable_outputs_count: 0, workflow_id: workflowId }) as JobView;
  if (includeWorkflow) job.workflow = { prompt: tuple[2], extra_data: item.extraData };
  return job;
}

function isPreviewable(mediaType: string, item: Record<string, unknown>): boolean {
  if (PREVIEWABLE.has(mediaType)) return true;
  const format = typeof item.format === 'string' ? item.format : '';
  if (format.startsWith('video/') || format.startsWith('audio/')) return true;
  const name = typeof item.filename === 'string' ? item.filename.toLowerCase() : '';
  return [...THREE_D, ...TEXT].some((ext) => name.endsWith(ext));
}

/** `get_outputs_summary` + `count_previewable_outputs` for the file outputs the emulator writes. */
function summary(outputs: Record<string, unknown>): { count: number; previewable: number; preview: Record<string, unknown> | undefined } {
  let count = 0;
  let previewable = 0;
  let preview: Record<string, unknown> | undefined;
  let fallback: Record<string, unknown> | undefined;
  for (const [nodeId, nodeOutputs] of Object.entries(outputs)) {
    if (!nodeOutputs || typeof nodeOutputs !== 'object' || Array.isArray(nodeOutputs)) continue;
    for (const [mediaType, items] of Object.entries(nodeOutputs as Record<string, unknown>)) {
      if (mediaType === 'animated' || !Array.isArray(items)) continue;
      for (const item of items) {
        if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
        const entry = item as Record<string, unknown>;
        count++;
        if (!isPreviewable(mediaType, entry)) continue;
        previewable++;
        const enriched = { ...entry, nodeId, ...('mediaType' in entry ? {} : { mediaType }) };
        if (entry.type === 'output') preview ??= enriched;
        else fallback ??= enriched;
      }
    }
  }
  return { count, previewable, preview: preview ?? fallback };
}

export function historyJob(promptId: string, entry: HistoryEntry, includeOutputs = false): JobView {
  const [priority, , prompt, extraData] = entry.prompt as [unknown, string, unknown, Record<string, unknown>];
  const { createTime, workflowId } = metadata(extraData ?? {});
  let start: unknown;
  let end: unknown;
  let error: unknown;
  let interrupted = false;
  for (const [name, data] of entry.status?.messages ?? []) {
    if (name === 'execution_start') start = data.timestamp;
    else if (name === 'execution_success' || name === 'execution_error' || name === 'execution_interrupted') {
      end = data.timestamp;
      if (name === 'execution_error') error = data;
      if (name === 'execution_interrupted') interrupted = true;
    }
  }
  const status: JobStatus = entry.status?.status_str === 'error' ? (interrupted ? 'cancelled' : 'failed') : 'completed';
  const { count, previewable, preview } = summary(entry.outputs);
  const job = pruned({
    id: promptId,
    status,
    priority,
    create_time: createTime,
    execution_start_time: start,
    execution_end_time: end,
    execution_error: error,
    outputs_count: count,
    previewable_outputs_count: previewable,
    preview_output: preview,
    workflow_id: workflowId,
  }) as JobView;
  if (includeOutputs) {
    job.outputs = entry.outputs;
    job.execution_status = entry.status;
    job.workflow = { prompt, extra_data: extraData };
  }
  return job;
}

/** `apply_sorting`: by create_time, or by execution duration (0 when unknown). */
export function sortJobs(jobs: JobView[], sortBy: 'created_at' | 'execution_duration', order: 'asc' | 'desc'): JobView[] {
  const key = (job: JobView): number => {
    if (sortBy === 'execution_duration') {
      const s = job.execution_start_time ?? 0;
      const e = job.execution_end_time ?? 0;
      return e && s ? e - s : 0;
    }
    return job.create_time ?? 0;
  };
  // Python's sorted is stable, also with reverse=True.
  const indexed = jobs.map((job, i) => ({ job, i, k: key(job) }));
  indexed.sort((a, b) => (a.k === b.k ? a.i - b.i : order === 'desc' ? b.k - a.k : a.k - b.k));
  return indexed.map((x) => x.job);
}
