import { EventEmitter } from 'node:events';
import type { JobEvent } from '../../comfy/client/job-types.js';
import type { Decision } from '../failure-policy/types.js';

export interface DispatchedResult {
  promptId: string;
  worker: string;
  gpu: { profile: string; name: string | null };
  attempt: number;
  variant: string | null;
  reattached: boolean;
  outputs: Array<{ nodeId: string; kind: string; filename: string; subfolder: string; type: string; sha256: string; bytes: number; location: string }>;
  timings: { queuedMs: number; uploadMs: number; executeMs: number | null; downloadMs: number; nodes: Record<string, { classType?: string; ms: number }> };
}

/** What a dispatcher tells listeners (a CLI progress bar, the server's event stream, tests). */
export interface DispatcherEventMap {
  'job.leased': [e: { jobId: string; worker: string; attempt: number }];
  'prompt.submitted': [e: { jobId: string; worker: string; promptId: string; attempt: number; reattached: boolean }];
  'prompt.started': [e: { jobId: string; worker: string; promptId: string }];
  progress: [e: { jobId: string; worker: string; promptId: string; event: JobEvent }];
  'job.completed': [e: { jobId: string; worker: string; result: DispatchedResult }];
  'job.retried': [e: { jobId: string; worker: string; decision: Decision }];
  'job.failed': [e: { jobId: string; worker: string | undefined; decision: Decision }];
  'job.cancelled': [e: { jobId: string; worker: string; reason: string }];
  'worker.down': [e: { worker: string; reason: string; moved: string[] }];
  /** A worker that was down answers again; the prompts it still held for moved jobs were removed. */
  'worker.orphans_cleared': [e: { worker: string; deleted: string[]; interrupted: string[] }];
  /** Something went wrong in the dispatcher itself; it keeps going. */
  'dispatcher.error': [e: { error: unknown; where: string }];
}

export class DispatcherEvents extends EventEmitter<DispatcherEventMap> {}
