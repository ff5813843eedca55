import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiGraph } from '../../comfy/graph.js';
import { isLink } from '../../comfy/graph.js';
import type { NodeDef, ObjectInfo } from '../../comfy/object-info/types.js';
import { InterruptSignal, NodeFailure, type NodeExecutionContext, type NodeExecutionResult } from '../execution/node-executor.js';
import { PyFloat, pyDumps } from '../server/py-json.js';
import { exceptionMessage, formatValue, isOutOfMemory, syntheticTraceback } from './error-report.js';
import type { ProgressState } from './progress-state.js';
import { RunAbandoned, type EngineServices } from './services.js';

/** One job's mutable state, shared by its node runs. */
export interface RunScope {
  services: EngineServices;
  prompt: ApiGraph;
  promptId: string;
  objectInfo: ObjectInfo;
  clientId: string | null;
  extraData: Record<string, unknown>;
  progress: ProgressState;
  /** Output values of nodes run or served from cache in this job. */
  values: Map<string, unknown[]>;
  /** UI dicts produced in this job (kept even when the node's key is uncachable). */
  uiThisRun: Map<string, { output: Record<string, unknown>; meta: Record<string, unknown> }>;
  /** The PROMPT hidden input (see `NodeExecutionContext.hidden`). */
  hiddenPrompt?: unknown;
}

export type NodeOutcome =
  | { kind: 'success'; executed: boolean }
  | { kind: 'interrupted'; nodeId: string }
  | {
      kind: 'error';
      nodeId: string;
      details: { exception_message: string; exception_type: string; traceback: string[]; current_inputs: Record<string, unknown[]> | unknown[] };
    };

/** A preview an executor may pass as `progress(value, max, preview)` (an additive extension of the seam). */
export interface ProgressPreview {
  format: 'jpeg' | 'png';
  bytes: Uint8Array;
}

const PREVIEW_FORMAT_CODE = { jpeg: 1, png: 2 } as const;

function sendProgressState(scope: RunScope): void {
  scope.services.sink.send('progress_state', scope.progress.snapshot(), scope.clientId);
}

/** ComfyUI's `execute()` for one node: cached replay, or progress/executing/run/executed/finish. */
export async function runNode(scope: RunScope, nodeId: string): Promise<NodeOutcome> {
  const { services, prompt, promptId, clientId } = scope;
  const node = prompt[nodeId];
  if (!node) return { kind: 'success', executed: false };
  const def = scope.objectInfo[node.class_type] as NodeDef;
  const cached = services.cache.get(nodeId);
  if (cached) {
    if (clientId !== null) {
      services.sink.send('executed', { node: nodeId, display_node: nodeId, output: cached.ui?.output ?? null, prompt_id: promptId }, clientId);
    }
    scope.progress.finish(nodeId);
    sendProgressState(scope);
    scope.values.set(nodeId, cached.outputs);
    return { kind: 'success', executed: false };
  }

  scope.progress.start(nodeId);
  sendProgressState(scope);
  const inputs = gatherInputs(scope, nodeId);
  if (clientId !== null) {
    services.setLastNode(nodeId);
    services.sink.send('executing', { node: nodeId, display_node: nodeId, prompt_id: promptId }, clientId);
  }

  let result: NodeExecutionResult;
  try {
    if (services.interrupt.pending) throw new InterruptSignal();
    await applyFault(scope, node.class_type, nodeId);
    services.stats.nodeExecuted(promptId);
    result = await services.executor.execute(executionContext(scope, nodeId, def, inputs));
  } catch (error) {
    if (error instanceof RunAbandoned) throw error;
    if (error instanceof InterruptSignal) return { kind: 'interrupted', nodeId };
    return { kind: 'error', nodeId, details: failureDetails(scope, nodeId, def, inputs, error) };
  }

  const ui = result.ui && Object.keys(result.ui).length > 0 ? { output: result.ui, meta: { node_id: nodeId, display_node: nodeId, parent_node: null, real_node_id: nodeId } } : undefined;
  if (ui) {
    scope.uiThisRun.set(nodeId, ui);
    if (clientId !== null) services.sink.send('executed', { node: nodeId, display_node: nodeId, output: ui.output, prompt_id: promptId }, clientId);
  }
  services.cache.set(nodeId, ui ? { outputs: result.outputs, ui } : { outputs: result.outputs });
  scope.values.set(nodeId, result.outputs);
  scope.progress.finish(nodeId);
  sendProgressState(scope);
  return { kind: 'success', executed: true };
}

/** Literals as validated, links as the upstream node's output value. */
function gatherInputs(scope: RunScope, nodeId: string): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(scope.prompt[nodeId]?.inputs ?? {})) {
    inputs[name] = isLink(value) ? scope.values.get(value[0])?.[value[1]] : value;
  }
  return inputs;
}

async function applyFault(scope: RunScope, classType: string, nodeId: string): Promise<void> {
  const { services } = scope;
  const literalInputs = scope.prompt[nodeId]?.inputs ?? {};
  const action = services.faults.take(classType, literalInputs);
  if (!action) return;
  switch (action.type) {
    case 'raise':
      throw new NodeFailure(action.exceptionType, action.message);
    case 'delay':
      await sleep(action.ms);
      return;
    case 'crash':
      services.crash();
      await services.closed;
      throw new RunAbandoned();
    case 'hang':
      // A stuck worker ignores interrupts; only closing the emulator ends it.
      await services.closed;
      throw new RunAbandoned();
  }
}

function executionContext(scope: RunScope, nodeId: string, def: NodeDef, inputs: Record<string, unknown>): NodeExecutionContext {
  const { services, promptId, clientId } = scope;
  const node = scope.prompt[nodeId] as ApiGraph[string];
  let hasProgressBar = false;
  const check = (): void => {
    if (services.interrupt.pending) throw new InterruptSignal();
  };
  // The engine checked before the node started; after that ComfyUI only notices an interrupt
  // at progress ticks, so a node without a progress bar runs to its end (finding 3).
  const throwIfInterrupted = (): void => {
    if (hasProgressBar) check();
  };
  const progress = (value: number, max: number, preview?: ProgressPreview): void => {
    // ComfyUI's progress hook checks the interrupt flag first.
    check();
    hasProgressBar = true;
    scope.progress.update(nodeId, value, max);
    sendProgressState(scope);
    const image = preview ?? (services.previewMethod === 'auto' && def.output.includes('LATENT') && services.placeholderPreview ? { format: 'jpeg' as const, bytes: services.placeholderPreview } : undefined);
    const send = image && (services.previewMethod === 'auto' || image.format === 'png');
    const withMetadata = services.sink.supports(clientId, 'supports_preview_metadata');
    if (send && image && withMetadata) services.sink.sendBinary(previewWithMetadata(scope, nodeId, image), clientId);
    services.sink.send('progress', { value, max, prompt_id: promptId, node: nodeId }, clientId);
    if (send && image && !withMetadata) services.sink.sendBinary(legacyPreview(image), clientId);
  };
  const spend = async (simulatedMs: number): Promise<void> => {
    const ms = Math.max(0, simulatedMs * services.timeScale);
    // Only nodes with a progress bar notice an interrupt mid-run (at their next tick);
    // others run to the end, as in ComfyUI (finding 3).
    if (!hasProgressBar) {
      if (ms > 0) await sleep(ms);
      return;
    }
    check();
    const waiter = services.interrupt.wait();
    try {
      await Promise.race([sleep(ms), waiter.promise]);
    } finally {
      waiter.cancel();
    }
    check();
  };
  return {
    promptId,
    nodeId,
    classType: node.class_type,
    def,
    inputs,
    graph: scope.prompt,
    dirs: services.dirs,
    progress,
    spend,
    throwIfInterrupted,
    hidden: { prompt: scope.hiddenPrompt ?? scope.prompt, extraPnginfo: scope.extraData.extra_pnginfo ?? null },
  };
}

function previewWithMetadata(scope: RunScope, nodeId: string, image: ProgressPreview): Buffer {
  const metadata = Buffer.from(
    pyDumps({
      node_id: nodeId,
      prompt_id: scope.promptId,
      display_node_id: nodeId,
      parent_node_id: null,
      real_node_id: nodeId,
      image_type: image.format === 'png' ? 'image/png' : 'image/jpeg',
    }),
  );
  const header = Buffer.alloc(8);
  header.writeUInt32BE(4, 0);
  header.writeUInt32BE(metadata.length, 4);
  return Buffer.concat([header, metadata, Buffer.from(image.bytes)]);
}

function legacyPreview(image: ProgressPreview): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(PREVIEW_FORMAT_CODE[image.format], 4);
  return Buffer.concat([header, Buffer.from(image.bytes)]);
}

/** The `execution_error` fields from a failure, with `current_inputs` as ComfyUI formats them. */
function failureDetails(scope: RunScope, nodeId: string, def: NodeDef, inputs: Record<string, unknown>, error: unknown): Extract<NodeOutcome, { kind: 'error' }>['details'] {
  const failure =
    error instanceof NodeFailure ? error : new NodeFailure('RuntimeError', error instanceof Error ? error.message : String(error), error instanceof Error && error.stack ? [error.stack] : []);
  if (isOutOfMemory(failure.exceptionType)) scope.services.gpu.unloadAll();
  return {
    exception_message: exceptionMessage(failure.exceptionType, failure.exceptionMessage),
    exception_type: failure.exceptionType,
    traceback: failure.traceback.length > 0 ? failure.traceback : syntheticTraceback(def.name ?? '', def.python_module),
    current_inputs: currentInputs(scope, nodeId, def, inputs),
  };
}

function currentInputs(scope: RunScope, nodeId: string, def: NodeDef, inputs: Record<string, unknown>): Record<string, unknown[]> {
  const formatted: Record<string, unknown[]> = {};
  const declared = [...Object.keys(def.input.required ?? {}), ...Object.keys(def.input.optional ?? {})];
  for (const name of declared) {
    if (!(name in inputs)) continue;
    const spec = def.input.required?.[name] ?? def.input.optional?.[name];
    const value = inputs[name];
    // Validation ran float() on FLOAT inputs: Python shows 1.0 where the request said 1.
    formatted[name] = [Array.isArray(spec) && spec[0] === 'FLOAT' && typeof value === 'number' ? new PyFloat(value) : formatValue(value, `${scope.promptId}:${nodeId}:${name}`)];
  }
  // V1 nodes get their hidden inputs in the same dict (V3 nodes receive them separately).
  for (const [name, kind] of Object.entries(def.input.hidden ?? {})) {
    if (typeof kind !== 'string') continue;
    if (kind === 'PROMPT') formatted[name] = [formatValue(scope.prompt, name)];
    else if (kind === 'EXTRA_PNGINFO') formatted[name] = [formatValue(scope.extraData.extra_pnginfo ?? null, name)];
    else if (kind === 'UNIQUE_ID') formatted[name] = [nodeId];
  }
  return formatted;
}
