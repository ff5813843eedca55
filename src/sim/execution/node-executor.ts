import type { ApiGraph } from '../../comfy/graph.js';
import type { NodeDef } from '../../comfy/object-info/types.js';

/**
 * The seam between the emulator's engine (queue, cache, history, WebSocket messages) and the
 * code that "runs" one node. The engine resolves each input (literals as coerced by
 * validation; links as the upstream node's output value) and calls `execute`. The executor
 * produces one value per declared output and, for output nodes, the UI dict ComfyUI reports
 * in `executed` and in history.
 */
export interface NodeExecutionContext {
  promptId: string;
  nodeId: string;
  classType: string;
  def: NodeDef;
  /** Inputs by name: literals, or the upstream `SimValue` for linked inputs. */
  inputs: Record<string, unknown>;
  /** The whole validated prompt, e.g. to trace the prompt text that reached a sampler. */
  graph: ApiGraph;
  /** Directories of this emulated server (ComfyUI's output/, temp/, input/). */
  dirs: { output: string; temp: string; input: string };
  /**
   * Reports sampler-style progress; the engine emits `progress_state` + `progress`, and, when the
   * preview method is not `none`, the optional preview as a binary frame (type 4 or type 1).
   */
  progress(value: number, max: number, preview?: { format: 'jpeg' | 'png'; bytes: Uint8Array }): void;
  /** Waits `simulatedMs` scaled by the time scale; rejects with `InterruptSignal` if interrupted. */
  spend(simulatedMs: number): Promise<void>;
  /** Throws `InterruptSignal` when an interrupt is pending (ComfyUI checks before nodes and per step). */
  throwIfInterrupted(): void;
  /**
   * ComfyUI's hidden inputs: PROMPT (the queued prompt as Python holds it: FLOAT inputs as
   * floats, `is_changed` added to nodes that define IS_CHANGED) and EXTRA_PNGINFO
   * (`extra_data.extra_pnginfo`). Absent when the caller runs nodes outside a queued prompt.
   */
  hidden?: { prompt: unknown; extraPnginfo: unknown };
}

export interface NodeExecutionResult {
  /** One value per entry of `def.output`. */
  outputs: unknown[];
  /** UI output (e.g. `{images: [{filename, subfolder, type}]}`); absent when the node has none. */
  ui?: Record<string, unknown>;
}

export interface NodeExecutor {
  execute(context: NodeExecutionContext): Promise<NodeExecutionResult>;
}

/**
 * A node raised an exception; the engine reports it as ComfyUI's `execution_error`.
 * `exceptionMessage` is Python's `str(ex)`; the engine appends `\n` and, for OOM, ComfyUI's tips.
 */
export class NodeFailure extends Error {
  constructor(
    readonly exceptionType: string,
    readonly exceptionMessage: string,
    readonly traceback: string[] = [],
  ) {
    super(`${exceptionType}: ${exceptionMessage}`);
    this.name = 'NodeFailure';
  }
}

/** Thrown out of `spend`/`throwIfInterrupted` when ComfyUI would raise its interrupt. */
export class InterruptSignal extends Error {
  constructor() {
    super('Processing interrupted');
    this.name = 'InterruptSignal';
  }
}
