import type { ObjectInfo } from '../../comfy/object-info/types.js';
import type { AnyTemplate } from '../templates/template.js';

/**
 * What one worker offers, as preflight needs it: its node definitions and the model files in
 * each folder (`GET /models/<folder>`). Folders the worker does not list are absent (not empty),
 * so "the folder is not registered" can be told apart from "the file is not there".
 */
export interface WorkerInventory {
  name: string;
  url: string;
  objectInfo: ObjectInfo;
  models: Record<string, string[]>;
  /** Memory the run must fit in: the GPU's VRAM, or system RAM on a CPU worker. */
  vramBytes?: number;
  gpuName?: string;
  /** `/system_stats` `comfyui_version`: validation follows that version's rules (else the node set decides). */
  comfyuiVersion?: string;
  /** `devices[0].type` of /system_stats: 'cuda', 'cpu' (ComfyUI --cpu: its memory is system RAM)… */
  deviceType?: string;
}

export type OutputKind = 'image' | 'video' | 'images';

export interface PreflightOptions {
  /** What the graph must produce; taken from the template when one is given. */
  expectedOutput?: OutputKind;
  /** The template the graph was built from: enables precision hints and the VRAM estimate. */
  template?: AnyTemplate;
  /** The template parameters the graph was built with (for precision hints and estimates). */
  params?: Record<string, unknown>;
}

export const PROBLEM_KINDS = ['missing_node', 'missing_model', 'wrong_folder', 'validation', 'output_kind', 'vram'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** One reason the graph would fail on the worker, with what to do about it. */
export interface PreflightProblem {
  kind: ProblemKind;
  message: string;
  fix: string;
  nodeId?: string;
  classType?: string;
  /** missing_node: the pack that provides the class. */
  pack?: string;
  repository?: string;
  /** missing_model / wrong_folder: the file as the graph names it and the folder it must be in. */
  folder?: string;
  file?: string;
  input?: string;
  sizeBytes?: number;
  url?: string;
  /** wrong_folder: where the worker has the file (`checkpoints/x.safetensors`). */
  foundAt?: { folder: string; file: string };
  /** missing_model: another precision of the same model the worker does have. */
  alternative?: { file: string; precision: string; setting?: string };
  /** vram: estimated need and what the worker has, in bytes. */
  neededBytes?: number;
  availableBytes?: number;
}

export interface NodePackToInstall {
  pack: string;
  repository?: string;
  /** The node classes of the graph that this pack provides. */
  classes: string[];
}

export interface ModelToInstall {
  folder: string;
  file: string;
  /** Undefined when neither the catalogue nor the size table knows the file. */
  sizeBytes?: number;
  sizeEstimated?: boolean;
  /** Undefined for files the catalogue does not know. */
  url?: string;
}

export interface PreflightReport {
  worker: { name: string; url: string; gpuName?: string; vramBytes?: number };
  template?: string;
  ok: boolean;
  problems: PreflightProblem[];
  toInstall: { nodePacks: NodePackToInstall[]; models: ModelToInstall[]; totalBytes: number };
  /** Files the graph loads from the worker's input/ folder: upload them before running. */
  inputs: { images: string[]; videos: string[] };
}
