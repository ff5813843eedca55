import type { ComfyProtocol } from '../comfyui-version.js';
import type { ApiGraph } from '../graph.js';

/** A top-level error as ComfyUI 0.3.64 returns it in `{"error": ..., "node_errors": ...}`. */
export interface PromptError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** One reason a node failed (`node_errors[id].errors[i]`). */
export interface NodeErrorReason {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

export interface NodeErrorEntry {
  errors: NodeErrorReason[];
  /** Output nodes that could not run because of this node. */
  dependent_outputs: string[];
  class_type: string;
}

export type NodeErrors = Record<string, NodeErrorEntry>;

export interface ValidateOptions {
  /** Only these output nodes are executed (`partial_execution_targets`); `[]` → prompt_no_outputs. */
  partialExecutionTargets?: string[] | null;
  /**
   * Whether an input file exists, for LoadImage-like nodes that check their file themselves.
   * Receives the name as sent (`"x.png"`, `"sub/x.png"`, `"x.png [output]"`). Without it, a
   * name counts as present when the node's own combo lists it (or the combo is V3 `COMBO`).
   */
  inputFileExists?: (annotatedName: string) => boolean;
  /**
   * Whose rules: '0.3.64', or 'current' (MatchType and `*` links, list→COMBO links, V3 COMBO
   * options and Autogrow inputs checked). Default: 'current' when the node set has V3 MatchType
   * or Autogrow sockets (only newer ComfyUI serves them), else '0.3.64'.
   */
  protocol?: ComfyProtocol;
}

export type ValidationOutcome =
  | { ok: true; prompt: ApiGraph /* coerced */; outputs: string[]; nodeErrors: NodeErrors }
  | { ok: false; error: PromptError; nodeErrors: NodeErrors };
