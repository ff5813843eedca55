import type { ApiGraph } from '../../comfy/graph.js';
import { ExecutionList } from './execution-list.js';
import type { HistoryEntry } from './history-store.js';
import { runNode, type NodeOutcome, type RunScope } from './node-run.js';
import { ProgressState } from './progress-state.js';
import type { QueueItem } from './prompt-queue.js';
import { type EngineServices } from './services.js';

export interface RunResult {
  success: boolean;
  outputs: Record<string, unknown>;
  meta: Record<string, unknown>;
  messages: NonNullable<HistoryEntry['status']>['messages'];
  /** False when the run was abandoned (crash/close): no history, no end messages. */
  finished: boolean;
}

/** Loaders whose IS_CHANGED is the file's sha256: ComfyUI stores `[hash]` as the node's `is_changed`. */
const FILE_HASH_LOADERS = new Set(['LoadImage', 'LoadImageMask', 'LoadImageOutput']);

/**
 * The prompt as ComfyUI's nodes see it through the PROMPT hidden input (and SaveImage embeds):
 * the queued dict with Python floats, where IsChangedCache has written `is_changed` into every
 * node that defines IS_CHANGED.
 */
function hiddenPrompt(item: QueueItem, services: EngineServices): unknown {
  const base = (item.tuplePrompt ?? item.prompt) as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(base)) {
    const classType = String(node.class_type);
    const changed = FILE_HASH_LOADERS.has(classType) ? services.fingerprint(id, classType, (item.prompt[id]?.inputs ?? {}) as Record<string, unknown>) : undefined;
    out[id] = typeof changed === 'string' ? { ...node, is_changed: [changed] } : node;
  }
  return out;
}

/** `PromptExecutor.execute_async` for one queue item: messages, caching, errors, history result. */
export async function runPrompt(services: EngineServices, item: QueueItem): Promise<RunResult> {
  const { sink, cache } = services;
  const prompt: ApiGraph = item.prompt;
  const promptId = item.promptId;
  const objectInfo = services.objectInfo();
  services.interrupt.reset();
  const rawClient = 'client_id' in item.extraData ? item.extraData.client_id : null;
  const clientId = rawClient === null || rawClient === undefined ? null : String(rawClient);
  const messages: RunResult['messages'] = [];

  const addMessage = (event: string, data: Record<string, unknown>, broadcast: boolean): void => {
    const stamped = { ...data, timestamp: Date.now() };
    messages.push([event, stamped]);
    if (clientId !== null || broadcast) sink.send(event, stamped, clientId);
  };

  services.stats.executionStarted(promptId);
  addMessage('execution_start', { prompt_id: promptId }, false);
  const progress = new ProgressState(promptId, Object.keys(prompt));
  cache.setPrompt(prompt, objectInfo, services.fingerprint);
  const cachedNodes = Object.keys(prompt).filter((id) => cache.get(id) !== undefined);
  addMessage('execution_cached', { nodes: cachedNodes, prompt_id: promptId }, false);

  const executed = new Set<string>();
  const list = new ExecutionList(prompt, objectInfo, (id) => cache.get(id) !== undefined);
  const currentOutputs = cache.nodeIds();
  for (const output of item.outputs) list.addNode(output);

  const scope: RunScope = {
    services,
    prompt,
    promptId,
    objectInfo,
    clientId,
    extraData: item.extraData,
    progress,
    values: new Map(),
    uiThisRun: new Map(),
    hiddenPrompt: hiddenPrompt(item, services),
  };
  for (const id of cachedNodes) scope.values.set(id, cache.get(id)?.outputs ?? []);

  let success = true;
  while (!list.isEmpty()) {
    const nodeId = list.next();
    let outcome: NodeOutcome;
    if (nodeId === undefined) {
      const blamed = list.remaining()[0] as string;
      outcome = {
        kind: 'error',
        nodeId: blamed,
        details: { exception_message: 'Dependency cycle detected', exception_type: 'graph.DependencyCycleError', traceback: [], current_inputs: [] },
      };
    } else {
      outcome = await runNode(scope, nodeId);
    }
    if (outcome.kind === 'success') {
      if (outcome.executed) executed.add(nodeId as string);
      list.complete(nodeId as string);
      continue;
    }
    success = false;
    const nodeType = prompt[outcome.nodeId]?.class_type ?? '';
    if (outcome.kind === 'interrupted') {
      addMessage('execution_interrupted', { prompt_id: promptId, node_id: outcome.nodeId, node_type: nodeType, executed: [...executed] }, true);
    } else {
      addMessage(
        'execution_error',
        {
          prompt_id: promptId,
          node_id: outcome.nodeId,
          node_type: nodeType,
          executed: [...executed],
          ...outcome.details,
          current_outputs: currentOutputs,
        },
        false,
      );
    }
    break;
  }
  if (success) addMessage('execution_success', { prompt_id: promptId }, false);

  const outputs: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const id of Object.keys(prompt)) {
    const ui = cache.get(id)?.ui ?? scope.uiThisRun.get(id);
    if (!ui) continue;
    outputs[id] = ui.output;
    meta[id] = ui.meta;
  }
  services.setLastNode(null);
  return { success, outputs, meta, messages, finished: true };
}
