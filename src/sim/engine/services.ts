import type { ObjectInfo } from '../../comfy/object-info/types.js';
import type { NodeExecutor } from '../execution/node-executor.js';
import type { FaultBook } from '../faults/fault-rule.js';
import type { GpuReport } from './gpu-report.js';
import type { ChangeFingerprint, ClassicCache } from './output-cache.js';
import type { StatsRecorder } from './stats.js';

/** Where the engine's messages go: ComfyUI's `send_sync(event, data, sid)` (null = broadcast). */
export interface MessageSink {
  send(event: string, data: unknown, sid: string | null): void;
  sendBinary(frame: Buffer, sid: string | null): void;
  supports(sid: string | null, flag: string): boolean;
}

/** Shared state a job needs; owned by the `Engine`. */
export interface EngineServices {
  sink: MessageSink;
  objectInfo: () => ObjectInfo;
  cache: ClassicCache;
  executor: NodeExecutor;
  faults: FaultBook;
  gpu: GpuReport;
  stats: StatsRecorder;
  fingerprint: ChangeFingerprint;
  dirs: { output: string; temp: string; input: string };
  timeScale: number;
  previewMethod: 'none' | 'auto';
  /** A small JPEG sent as the sampler preview when previews are on. */
  placeholderPreview: Buffer | undefined;
  interrupt: InterruptLatch;
  /** `server.last_node_id`, replayed to a client reconnecting mid-job. */
  setLastNode(nodeId: string | null): void;
  /** A 'crash' fault: the server dies now. */
  crash(): void;
  /** Resolves when the emulator closes (ends 'hang' faults). */
  closed: Promise<void>;
}

/** `nodes.interrupt_processing`: a flag set by /interrupt, cleared at each job start. */
export class InterruptLatch {
  private flag = false;
  private readonly waiters = new Set<() => void>();

  set(): void {
    this.flag = true;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  reset(): void {
    this.flag = false;
  }

  get pending(): boolean {
    return this.flag;
  }

  /** Resolves at the next `set()`. */
  wait(): { promise: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.waiters.add(wake);
    return { promise, cancel: () => this.waiters.delete(wake) };
  }
}

/** Thrown through a run when the emulator shuts down or crashes mid-job. */
export class RunAbandoned extends Error {
  constructor() {
    super('emulator stopped during the job');
    this.name = 'RunAbandoned';
  }
}

