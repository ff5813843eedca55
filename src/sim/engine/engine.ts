import type { ComfyProtocol } from '../../comfy/comfyui-version.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import type { NodeExecutor } from '../execution/node-executor.js';
import type { FaultBook } from '../faults/fault-rule.js';
import type { GpuReport } from './gpu-report.js';
import { ClassicCache, type ChangeFingerprint } from './output-cache.js';
import { runPrompt } from './prompt-run.js';
import { PromptQueue, type QueueItem } from './prompt-queue.js';
import { submitPrompt, truthy } from './prompt-submission.js';
import { InterruptLatch, RunAbandoned, type EngineServices, type MessageSink } from './services.js';
import { StatsRecorder } from './stats.js';

export interface EngineOptions {
  sink: MessageSink;
  objectInfo: () => ObjectInfo;
  executor: NodeExecutor;
  faults: FaultBook;
  gpu: GpuReport;
  fingerprint: ChangeFingerprint;
  inputFileExists: (annotatedName: string) => boolean;
  dirs: { output: string; temp: string; input: string };
  /** Which ComfyUI's POST /prompt rules apply. */
  comfyui: ComfyProtocol;
  timeScale: number;
  previewMethod: 'none' | 'auto';
  placeholderPreview: Buffer | undefined;
  crash(): void;
}

/**
 * The emulated ComfyUI back end: the prompt queue, one worker running one job at a time
 * (main.py's `prompt_worker`), the classic node cache, history and the `/free` flags.
 */
export class Engine {
  readonly queue: PromptQueue;
  readonly cache = new ClassicCache();
  readonly stats = new StatsRecorder();
  readonly interrupt = new InterruptLatch();
  private readonly services: EngineServices;
  private stopped = false;
  private lastNode: string | null = null;
  private currentClient: string | null = null;
  private loop: Promise<void> | undefined;
  private resolveClosed!: () => void;

  constructor(private readonly options: EngineOptions) {
    this.queue = new PromptQueue(() => options.sink.send('status', this.statusData(), null));
    const closed = new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
    });
    this.services = {
      sink: options.sink,
      objectInfo: options.objectInfo,
      cache: this.cache,
      executor: options.executor,
      faults: options.faults,
      gpu: options.gpu,
      stats: this.stats,
      fingerprint: options.fingerprint,
      dirs: options.dirs,
      timeScale: options.timeScale,
      previewMethod: options.previewMethod,
      placeholderPreview: options.placeholderPreview,
      interrupt: this.interrupt,
      setLastNode: (nodeId) => {
        this.lastNode = nodeId;
      },
      crash: options.crash,
      closed,
    };
  }

  start(): void {
    this.loop ??= this.work();
  }

  /** Stops the worker; a job in flight is abandoned without history. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.resolveClosed();
    this.queue.notify();
    await this.loop;
  }

  /** `{"exec_info": {"queue_remaining": N}}` */
  queueInfo(): { exec_info: { queue_remaining: number } } {
    return { exec_info: { queue_remaining: this.queue.remaining() } };
  }

  statusData(): { status: { exec_info: { queue_remaining: number } } } {
    return { status: this.queueInfo() };
  }

  submit(json: unknown): { status: number; body: unknown } {
    return submitPrompt(
      { queue: this.queue, stats: this.stats, objectInfo: this.options.objectInfo, inputFileExists: this.options.inputFileExists, comfyui: this.options.comfyui },
      json,
    );
  }

  /** `POST /interrupt`: global, or only when `promptId` is the running job; says whether it fired. */
  interruptPrompt(promptId?: string): boolean {
    if (promptId === undefined) {
      this.interrupt.set();
      return true;
    }
    if (!this.queue.runningItems().some((item) => item.promptId === promptId)) return false;
    this.interrupt.set();
    return true;
  }

  /** What a socket reconnecting with `sid` is told about the running node (finding 12). */
  replayFor(sid: string): Array<{ type: string; data: unknown }> {
    return this.currentClient === sid && this.lastNode !== null ? [{ type: 'executing', data: { node: this.lastNode } }] : [];
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      await this.queue.waitForWork();
      if (this.stopped) break;
      const taken = this.queue.take();
      if (taken) {
        const finished = await this.runOne(taken.item, taken.itemId);
        if (!finished) break;
      }
      this.applyFreeFlags();
    }
  }

  private async runOne(item: QueueItem, itemId: number): Promise<boolean> {
    const rawClient = 'client_id' in item.extraData ? item.extraData.client_id : null;
    const clientId = rawClient === null || rawClient === undefined ? null : String(rawClient);
    this.currentClient = clientId;
    try {
      const result = await runPrompt(this.services, item);
      if (this.stopped) return false;
      this.queue.taskDone(itemId, { outputs: result.outputs, meta: result.meta }, {
        status_str: result.success ? 'success' : 'error',
        completed: result.success,
        messages: result.messages,
      });
      if (clientId !== null) this.options.sink.send('executing', { node: null, prompt_id: item.promptId }, clientId);
      return true;
    } catch (error) {
      if (error instanceof RunAbandoned) return false;
      // An emulator bug must not kill the worker: record the job as failed and go on.
      process.emitWarning(`ComfyUI emulator job ${item.promptId} failed: ${(error as Error).stack ?? String(error)}`);
      this.queue.taskDone(itemId, { outputs: {}, meta: {} }, { status_str: 'error', completed: false, messages: [] });
      if (clientId !== null) this.options.sink.send('executing', { node: null, prompt_id: item.promptId }, clientId);
      return true;
    }
  }

  private applyFreeFlags(): void {
    const flags = this.queue.takeFlags();
    const freeMemory = truthy(flags.free_memory ?? false);
    if (truthy('unload_models' in flags ? flags.unload_models : freeMemory)) this.options.gpu.unloadAll();
    if (freeMemory) this.cache.reset();
  }
}
