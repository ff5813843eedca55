import type { NodeId } from '../graph.js';
import type { ComfyError } from '../errors/comfy-error.js';
import type { NodeErrors } from '../protocol/prompt-errors.js';
import type { ProgressStateNodes } from '../protocol/messages.js';
import type { OutputFile } from '../protocol/output-files.js';

export type { OutputFile, OutputFileKind, OutputFileRef, OutputFileType } from '../protocol/output-files.js';

/** What a finished prompt produced, read from `GET /history/{id}`. */
export interface JobResult {
  promptId: string;
  /** Each node's UI output dict, as in history `outputs`. */
  outputs: Record<NodeId, Record<string, unknown>>;
  /** Every file listed in any output, with its kind. */
  files: OutputFile[];
  /** Nodes served from cache (from `execution_cached`), when history recorded it. */
  cachedNodes: NodeId[];
  /** `execution_start` / end timestamps (ms since epoch) from history, when recorded. */
  startedAt?: number;
  finishedAt?: number;
}

/**
 * Live progress of one prompt. Each event is delivered once; the stream ends with `completed`
 * or `failed`, both decided from history. `executed` events for outputs the socket missed are
 * replayed from history (`source: 'history'`) just before `completed`.
 */
export type JobEvent =
  | { type: 'started'; promptId: string; timestamp?: number }
  | { type: 'cached'; promptId: string; nodes: NodeId[] }
  | { type: 'executing'; promptId: string; nodeId: NodeId; displayNodeId?: NodeId }
  | { type: 'progress'; promptId: string; nodeId: NodeId | null; value: number; max: number }
  | { type: 'progress_state'; promptId: string; nodes: ProgressStateNodes }
  | { type: 'executed'; promptId: string; nodeId: NodeId; output: Record<string, unknown> | null; source: 'socket' | 'history' }
  | { type: 'preview'; promptId: string; nodeId?: NodeId; format: 'jpeg' | 'png'; bytes: Uint8Array }
  | { type: 'text'; promptId: string; nodeId: NodeId; text: string }
  | { type: 'completed'; promptId: string; result: JobResult }
  | { type: 'failed'; promptId: string; error: ComfyError };

export interface JobHandle {
  readonly promptId: string;
  /** Queue number and non-fatal node_errors from `POST /prompt` (absent for attached handles). */
  readonly submission?: { number: number; nodeErrors: NodeErrors };
  readonly events: AsyncIterable<JobEvent>;
  result(): Promise<JobResult>;
  cancel(): Promise<void>;
}

export interface SubmitOptions {
  /** Queue at the front (ComfyUI gives it a negative number). */
  front?: boolean;
  /** Explicit queue priority (lower runs first). */
  number?: number;
  /** Prompt id to use; default a random UUID (newer ComfyUI requires UUIDs). */
  promptId?: string;
  /** Stored with the job and in history (`extra_pnginfo`…). `client_id` is set by the client. */
  extraData?: Record<string, unknown>;
  /** Only run these output nodes. */
  partialExecutionTargets?: NodeId[];
  /** result() rejects with TimeoutError after this long (the prompt keeps running). */
  timeoutMs?: number;
}

export interface AttachOptions {
  timeoutMs?: number;
}
