import type { ApiGraph } from '../../comfy/graph.js';
import { PyFloat } from '../server/py-json.js';
import { heapify, heapPop, heapPush } from './py-heap.js';
import { HistoryStore, type HistoryEntry } from './history-store.js';

/** The queue tuple `[number, prompt_id, prompt, extra_data, outputs_to_execute]` plus what stays server-side. */
export interface QueueItem {
  number: number;
  /** `float(number)` when the client sent `number`: Python then serialises it as `5.0`. */
  numberIsFloat: boolean;
  promptId: string;
  prompt: ApiGraph;
  /** The prompt as the queue tuple shows it: FLOAT inputs as `PyFloat` (validation ran `float()` on them). */
  tuplePrompt?: unknown;
  extraData: Record<string, unknown>;
  outputs: string[];
  sensitive: Record<string, unknown>;
}

export interface FreeFlags {
  unload_models?: unknown;
  free_memory?: unknown;
}

function compareItems(a: QueueItem, b: QueueItem): number {
  if (a.number !== b.number) return a.number < b.number ? -1 : 1;
  return a.promptId < b.promptId ? -1 : a.promptId > b.promptId ? 1 : 0;
}

export function queueTuple(item: QueueItem): unknown[] {
  return [item.numberIsFloat ? new PyFloat(item.number) : item.number, item.promptId, item.tuplePrompt ?? item.prompt, item.extraData, item.outputs];
}

/**
 * ComfyUI's `PromptQueue`: a min-heap on (number, prompt_id), the running items, the
 * history and the `/free` flags. `onChange` is `server.queue_updated()` (a status broadcast).
 */
export class PromptQueue {
  private readonly heap: QueueItem[] = [];
  private readonly running = new Map<number, QueueItem>();
  private taskCounter = 0;
  private flags: FreeFlags = {};
  private wake: (() => void) | undefined;
  readonly history = new HistoryStore();
  /** The server's `number` counter for POST /prompt. */
  counter = 0;

  constructor(private readonly onChange: () => void) {}

  put(item: QueueItem): void {
    heapPush(this.heap, item, compareItems);
    this.onChange();
    this.notify();
  }

  /** Pops the next item (or undefined when empty) and marks it running. */
  take(): { item: QueueItem; itemId: number } | undefined {
    const item = heapPop(this.heap, compareItems);
    if (!item) return undefined;
    const itemId = this.taskCounter++;
    // structuredClone would turn the tuple's PyFloats into plain objects; they are immutable, so shared.
    this.running.set(itemId, { ...structuredClone({ ...item, tuplePrompt: undefined }), tuplePrompt: item.tuplePrompt });
    this.onChange();
    return { item, itemId };
  }

  taskDone(itemId: number, result: { outputs: Record<string, unknown>; meta: Record<string, unknown> }, status: HistoryEntry['status']): void {
    const item = this.running.get(itemId);
    this.running.delete(itemId);
    if (item) {
      this.history.add(item.promptId, { prompt: queueTuple(item), outputs: result.outputs, status, meta: result.meta });
    }
    this.onChange();
  }

  remaining(): number {
    return this.heap.length + this.running.size;
  }

  runningItems(): QueueItem[] {
    return [...this.running.values()];
  }

  /** The raw heap array, unsorted, as `queue_pending` shows it. */
  pendingItems(): QueueItem[] {
    return [...this.heap];
  }

  wipe(): void {
    this.heap.length = 0;
    this.onChange();
  }

  /** Removes the first pending item with that id; deleting the last one also wipes (two broadcasts). */
  delete(promptId: string): boolean {
    const index = this.heap.findIndex((item) => item.promptId === promptId);
    if (index === -1) return false;
    if (this.heap.length === 1) this.wipe();
    else {
      this.heap.splice(index, 1);
      heapify(this.heap, compareItems);
    }
    this.onChange();
    return true;
  }

  setFlag(name: keyof FreeFlags, value: unknown): void {
    this.flags[name] = value;
    this.notify();
  }

  takeFlags(): FreeFlags {
    const flags = this.flags;
    this.flags = {};
    return flags;
  }

  hasWork(): boolean {
    return this.heap.length > 0 || Object.keys(this.flags).length > 0;
  }

  /** Resolves when an item or a flag arrives (or `notify` is called on shutdown). */
  waitForWork(): Promise<void> {
    if (this.hasWork()) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
