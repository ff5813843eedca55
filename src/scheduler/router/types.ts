import type { ModelRequirement, Precision, TemplateEstimates } from '../../catalog/templates/template.js';
import type { GpuProfileId } from '../../catalog/cost/gpu-profiles.js';

/** A ready task as the router sees it: what it loads, needs and is expected to cost. */
export interface RoutableTask {
  id: string;
  templateId: string;
  params: Record<string, unknown>;
  /** Model files the built graph loads, in load order. */
  models: ModelRequirement[];
  /** Node classes the built graph uses. */
  nodeClasses: string[];
  /** Peak VRAM in GB by diffusion-model precision (the template's estimate). */
  vramNeedGb: Partial<Record<Precision, number>>;
  /** Precision of the files the graph was built with (the need that applies as built). */
  precision: Precision;
  estimate: TemplateEstimates;
  /** Size bucket of the run (see `sizeBucket`): the key of learned timings. */
  bucket: string;
  /** Higher first. */
  priority: number;
  /** Tasks this one waits for; the router only sees tasks whose dependencies are done. */
  dependsOn: string[];
}

/** Work already given to a worker: running first, then queued. */
export interface QueuedWork {
  taskId: string;
  templateId: string;
  /** Model files it loads, in order: what will be resident after it. */
  models: string[];
  /** Estimated ms until it is done (for the running one: what is left). */
  remainingMs: number;
}

/** One worker as the router sees it at decision time. */
export interface WorkerView {
  name: string;
  profile: GpuProfileId;
  vramTotalBytes: number;
  vramFreeBytes: number;
  nodeClasses: ReadonlySet<string>;
  /** Folder → files the worker lists. */
  modelFiles: Readonly<Record<string, readonly string[]>>;
  /** Model files believed on the GPU, least recently used first (learned from what ran there). */
  resident: readonly string[];
  /**
   * Files believed in the worker's host RAM, least recently used first (a reload is a
   * host→device copy only; anything else is read from disk).
   */
  inRam: readonly string[];
  /** Files of the last prompt the worker ran (their loader nodes are cached by ComfyUI). */
  lastRun?: readonly string[];
  /** System RAM of the worker's box when known; else the profile's typical figure. */
  hostRamBytes?: number;
  queue: readonly QueuedWork[];
  healthy: boolean;
}

/** The router's estimate of one task on one worker, in ms from `now`. */
export interface FinishEstimate {
  /** When the worker is free for this task (its queue drained). */
  startMs: number;
  loadMs: number;
  runMs: number;
  finishMs: number;
  /** Files that would be loaded (not resident when the task starts). */
  loads: string[];
  /** Part of `loadMs` spent reading files that are not in host RAM from disk. */
  diskMs?: number;
  runSource: 'learned' | 'scaled' | 'catalog';
}

/** A decision: run `task` on `worker`. */
export interface Assignment {
  task: RoutableTask;
  worker: string;
  estimate: FinishEstimate;
  score: number;
  reasons: string[];
}
