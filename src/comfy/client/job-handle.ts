import { ComfyError, ComfyErrorCode, isComfyError } from '../errors/comfy-error.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { PromptVanishedError } from '../errors/prompt-vanished-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { isWorkerUnavailableError } from '../errors/worker-unavailable-error.js';
import type { BinaryFrame } from '../protocol/binary-frame.js';
import type { HistoryEntry } from '../protocol/history.js';
import type { KnownServerMessage } from '../protocol/messages.js';
import type { NodeErrors } from '../protocol/prompt-errors.js';
import type { QueueState } from '../protocol/routes.js';
import { sleep } from './backoff.js';
import { EventChannel } from './event-channel.js';
import { outcomeFromHistory } from './job-outcome.js';
import type { JobEvent, JobHandle, JobResult } from './job-types.js';
import type { ComfyLogger } from './logger.js';

/** What a job needs from its client; kept narrow so the handle can be tested on its own. */
export interface JobContext {
  url: string;
  /** This client's id: only prompts submitted with it get events on our socket. */
  clientId: string;
  logger: ComfyLogger;
  silenceTimeoutMs: number;
  pollIntervalMs: number;
  unreachableTimeoutMs: number;
  historyEntry(promptId: string): Promise<HistoryEntry | undefined>;
  /** A queue snapshot whose request started at or after `since` (concurrent callers share one). */
  queueSince(since: number): Promise<QueueState>;
  deleteQueued(ids: string[]): Promise<void>;
  interrupt(promptId: string): Promise<void>;
  /** `POST /api/jobs/{id}/cancel` where the worker has the Jobs API (one atomic call), else undefined. */
  cancelJob?(promptId: string): Promise<boolean | undefined>;
  /** Undefined when the client runs without the socket layer. */
  socket: { readonly isOpen: boolean; recycle(): Promise<void> } | undefined;
  done(handle: ComfyJobHandle): void;
}

type Phase = 'pending' | 'running' | 'settled';

/**
 * One prompt on one worker. History is the truth: the handle settles only from
 * `GET /history/{id}`. The socket is a live layer that feeds `events` and tells the handle when
 * to look; while the socket is down, or silent for `silenceTimeoutMs`, the handle polls history
 * and the queue, and reports a prompt that is in neither as vanished.
 */
export class ComfyJobHandle implements JobHandle {
  readonly events: EventChannel<JobEvent> = new EventChannel<JobEvent>();
  submission?: { number: number; nodeErrors: NodeErrors };
  private phase: Phase = 'pending';
  private readonly settledPromise: Promise<JobResult>;
  private resolveResult!: (r: JobResult) => void;
  private rejectResult!: (e: ComfyError) => void;
  private lastActivityAt = Date.now();
  private lastRecycleAt = 0;
  private readonly createdAt = Date.now();
  /** Queue snapshots older than this may predate our POST and must not be trusted. */
  private queueFloor = Date.now();
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private terminalHint = false;
  private cancelRequested = false;
  private deadline: number | undefined;
  /** Whether the socket will carry this prompt's events (it was submitted with our client id). */
  private live: boolean;
  // Dedupe state: each event is delivered once, also across reconnect replays.
  private readonly seenOnce = new Set<string>();
  private lastExecuting: string | undefined;
  private lastProgress: string | undefined;
  private readonly executedNodes = new Set<string>();

  constructor(
    readonly promptId: string,
    private readonly ctx: JobContext,
    options: { timeoutMs?: number; live?: boolean } = {},
  ) {
    this.live = options.live ?? true;
    this.settledPromise = new Promise<JobResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // A caller that only iterates events must not get an unhandled rejection.
    this.settledPromise.catch(() => {});
    if (options.timeoutMs !== undefined) this.deadline = this.createdAt + options.timeoutMs;
  }

  get settled(): boolean {
    return this.phase === 'settled';
  }

  /** True once the server reported the prompt running (routes the reconnect replay to it). */
  get running(): boolean {
    return this.phase === 'running';
  }

  result(): Promise<JobResult> {
    return this.settledPromise;
  }

  /** Starts watching; `pollFirst` checks history at once (attach, or no socket). */
  start(pollFirst: boolean): void {
    this.queueFloor = Date.now();
    void this.watch(pollFirst);
  }

  /** Stops watching (the client closed); result() rejects, the prompt keeps running on the worker. */
  stop(): void {
    this.fail(
      new ComfyError(ComfyErrorCode.clientClosed, `the client was closed while waiting for prompt ${this.promptId}`, {
        hint: 'the prompt may still be running on the worker: run the command again to pick it up, or check the worker\'s queue',
      }),
    );
  }

  async cancel(): Promise<void> {
    if (this.settled) return;
    this.cancelRequested = true;
    if ((await this.ctx.cancelJob?.(this.promptId)) !== undefined) {
      this.wake();
      return;
    }
    const queue = await this.ctx.queueSince(Date.now());
    if (queue.queue_pending.some((item) => item[1] === this.promptId)) {
      await this.ctx.deleteQueued([this.promptId]);
      // It may have started between the snapshot and the delete: then interrupt it.
      const after = await this.ctx.queueSince(Date.now());
      if (after.queue_running.some((item) => item[1] === this.promptId)) await this.ctx.interrupt(this.promptId);
    } else if (queue.queue_running.some((item) => item[1] === this.promptId)) {
      await this.ctx.interrupt(this.promptId);
    }
    this.wake();
  }

  // ---- live layer (called by the client's router) ----

  onMessage(message: KnownServerMessage): void {
    if (this.settled) return;
    this.lastActivityAt = Date.now();
    const promptId = this.promptId;
    switch (message.type) {
      case 'execution_start':
        this.phase = 'running';
        this.once('start', { type: 'started', promptId, timestamp: message.data.timestamp });
        break;
      case 'execution_cached':
        this.once('cached', { type: 'cached', promptId, nodes: message.data.nodes });
        break;
      case 'executing': {
        if (message.data.node === null) {
          this.signalTerminal();
          break;
        }
        this.phase = 'running';
        // The reconnect replay repeats the node already announced.
        if (this.lastExecuting === message.data.node) break;
        this.lastExecuting = message.data.node;
        const displayNodeId = message.data.display_node;
        this.emit({ type: 'executing', promptId, nodeId: message.data.node, ...(displayNodeId ? { displayNodeId } : {}) });
        break;
      }
      case 'progress': {
        const key = `${message.data.node}:${message.data.value}:${message.data.max}`;
        if (key === this.lastProgress) break;
        this.lastProgress = key;
        this.emit({ type: 'progress', promptId, nodeId: message.data.node ?? null, value: message.data.value, max: message.data.max });
        break;
      }
      case 'progress_state':
        this.emit({ type: 'progress_state', promptId, nodes: message.data.nodes });
        break;
      case 'executed':
        if (this.executedNodes.has(message.data.node)) break;
        this.executedNodes.add(message.data.node);
        this.emit({ type: 'executed', promptId, nodeId: message.data.node, output: message.data.output, source: 'socket' });
        break;
      case 'execution_success':
      case 'execution_error':
      case 'execution_interrupted':
        this.signalTerminal();
        break;
      default:
        break;
    }
  }

  onBinary(frame: BinaryFrame): void {
    if (this.settled) return;
    this.lastActivityAt = Date.now();
    if (frame.kind === 'preview') this.emit({ type: 'preview', promptId: this.promptId, format: frame.format, bytes: frame.bytes });
    else if (frame.kind === 'preview_with_metadata') {
      const format = frame.metadata.image_type.includes('png') ? 'png' : 'jpeg';
      this.emit({ type: 'preview', promptId: this.promptId, nodeId: frame.metadata.node_id, format, bytes: frame.bytes });
    } else if (frame.kind === 'text') this.emit({ type: 'text', promptId: this.promptId, nodeId: frame.nodeId, text: frame.text });
  }

  /** The socket (re)opened or dropped: look at history now, events may have been missed. */
  onSocketChange(): void {
    this.lastActivityAt = Date.now();
    this.wake();
  }

  /**
   * A `status` broadcast: the queue changed, so a pending prompt may have been deleted, or a
   * prompt whose events go to another client id (attached) may have finished.
   */
  onQueueChanged(): void {
    if (this.phase === 'pending' || !this.live) this.wake();
  }

  // ---- the watcher ----

  private async watch(pollFirst: boolean): Promise<void> {
    let pollNow = pollFirst;
    let unreachableSince: number | undefined;
    let terminalRetries = 0;
    while (!this.settled) {
      if (!pollNow) await this.waitForReason();
      pollNow = false;
      if (this.settled) break;
      if (this.deadline !== undefined && Date.now() >= this.deadline) {
        this.fail(new TimeoutError(`prompt ${this.promptId} on ${this.ctx.url}`, this.deadline - this.createdAt));
        break;
      }
      try {
        const silent = this.ctx.socket?.isOpen === true && Date.now() - this.lastActivityAt >= this.ctx.silenceTimeoutMs;
        await this.poll(silent);
        unreachableSince = undefined;
        if (!this.settled && this.terminalHint) {
          // The socket said the job ended; history is written right after (reference §3.6).
          if (terminalRetries++ < 12) {
            await sleep(Math.min(25 * 2 ** terminalRetries, 1_000));
            pollNow = true;
          } else {
            this.terminalHint = false;
          }
        }
      } catch (error) {
        if (isWorkerUnavailableError(error)) {
          unreachableSince ??= Date.now();
          this.ctx.logger.debug({ err: error, promptId: this.promptId }, 'worker unreachable while watching prompt');
          if (Date.now() - unreachableSince >= this.ctx.unreachableTimeoutMs) this.fail(error);
        } else {
          this.fail(isComfyError(error) ? error : new ProtocolError('history poll', String(error), { cause: error }));
        }
      }
    }
  }

  /** History, then the queue, then history again: only a prompt missing from all three vanished. */
  private async poll(silent: boolean): Promise<void> {
    const entry = await this.ctx.historyEntry(this.promptId);
    if (entry) return this.settleFrom(entry);
    if (this.terminalHint) return;
    const queue = await this.ctx.queueSince(this.queueFloor);
    const item = [...queue.queue_running, ...queue.queue_pending].find((i) => i[1] === this.promptId);
    const running = queue.queue_running.some((i) => i[1] === this.promptId);
    const pending = item !== undefined && !running;
    if (item) this.live = item[3].client_id === this.ctx.clientId;
    this.lastActivityAt = Date.now();
    if (running) {
      this.phase = 'running';
      if (silent && this.ctx.socket && Date.now() - this.lastRecycleAt >= this.ctx.silenceTimeoutMs) {
        // Running yet silent: the socket may be a zombie (unregistered id, dead proxy). Reopen it.
        this.lastRecycleAt = Date.now();
        void this.ctx.socket.recycle();
      }
      return;
    }
    if (pending) return;
    const again = await this.ctx.historyEntry(this.promptId);
    if (again) return this.settleFrom(again);
    this.fail(
      this.cancelRequested ? new InterruptedError(this.promptId, { cancelledByUs: true }) : new PromptVanishedError(this.promptId, { url: this.ctx.url }),
    );
  }

  private waitForReason(): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    const now = Date.now();
    let wait = this.ctx.socket?.isOpen ? this.lastActivityAt + this.ctx.silenceTimeoutMs - now : this.ctx.pollIntervalMs;
    if (this.deadline !== undefined) wait = Math.min(wait, this.deadline - now);
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, wait));
      this.wakeUp = finish;
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.pendingWake = true;
  }

  private signalTerminal(): void {
    this.terminalHint = true;
    this.wake();
  }

  private settleFrom(entry: HistoryEntry): void {
    const outcome = outcomeFromHistory(this.promptId, entry, { cancelledByUs: this.cancelRequested });
    if (!outcome.ok) return this.fail(outcome.error);
    for (const [nodeId, output] of Object.entries(outcome.result.outputs)) {
      if (this.executedNodes.has(nodeId)) continue;
      this.executedNodes.add(nodeId);
      this.emit({ type: 'executed', promptId: this.promptId, nodeId, output, source: 'history' });
    }
    this.emit({ type: 'completed', promptId: this.promptId, result: outcome.result });
    this.finish();
    this.resolveResult(outcome.result);
  }

  private fail(error: ComfyError): void {
    if (this.settled) return;
    this.emit({ type: 'failed', promptId: this.promptId, error });
    this.finish();
    this.rejectResult(error);
  }

  private finish(): void {
    this.phase = 'settled';
    this.events.end();
    this.wakeUp?.();
    this.ctx.done(this);
  }

  private once(key: string, event: JobEvent): void {
    if (this.seenOnce.has(key)) return;
    this.seenOnce.add(key);
    this.emit(event);
  }

  private emit(event: JobEvent): void {
    this.events.push(event);
  }
}
