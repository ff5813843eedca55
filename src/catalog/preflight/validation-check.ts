import type { ComfyProtocol } from '../../comfy/comfyui-version.js';
import type { ApiGraph } from '../../comfy/graph.js';
import { describeCycle, findCycle } from '../../comfy/graph-cycle.js';
import { extendedObjectInfo } from '../../comfy/object-info/extra-nodes.js';
import { applyModelLists } from '../../comfy/object-info/model-lists.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import { renderNodeErrors, validatePrompt, ValidationCrashError } from '../../comfy/validation/index.js';
import type { NodeErrorReason } from '../../comfy/validation/index.js';
import { modelsFromObjectInfo } from './inventory.js';
import type { PreflightProblem, WorkerInventory } from './types.js';

/** Inputs naming a file in the worker's input/ folder: uploaded before the run, so not checked here. */
const INPUT_FILE_INPUTS: Record<string, string> = {
  LoadImage: 'image',
  LoadImageMask: 'image',
  LoadImageOutput: 'image',
  LoadVideo: 'file',
  LoadAudio: 'audio',
};

/**
 * The node definitions to validate against: the worker's, plus the known definitions of classes
 * it lacks (so one missing pack does not hide every other error), with the loader lists set to
 * the worker's files. Folders preflight did not fetch keep the lists the worker's object_info has.
 */
export function validationObjectInfo(inventory: WorkerInventory, missingClasses: Iterable<string>): ObjectInfo {
  const known = extendedObjectInfo();
  const borrowed: ObjectInfo = {};
  for (const cls of missingClasses) if (known[cls]) borrowed[cls] = known[cls];
  const models = { ...modelsFromObjectInfo(inventory.objectInfo), ...inventory.models };
  return applyModelLists({ ...borrowed, ...inventory.objectInfo }, models);
}

function fixFor(reason: NodeErrorReason): string {
  switch (reason.type) {
    case 'value_not_in_list':
      return 'use one of the values the worker offers (its ComfyUI or node pack may be a different version than the graph was made with)';
    case 'required_input_missing':
      return 'connect the input or give it a value';
    case 'return_type_mismatch':
      return 'link the input to an output of the type it accepts';
    case 'value_smaller_than_min':
    case 'value_bigger_than_max':
      return "change the value to within the node's range";
    case 'custom_validation_failed':
      return "fix the input the node rejects (see the message)";
    case 'prompt_no_outputs':
      return 'add an output node (SaveImage, SaveVideo)';
    default:
      return "fix the node's inputs (see the message), or re-export the graph from a ComfyUI of the worker's version";
  }
}

export interface ValidationContext {
  /** `nodeId/input` pairs already reported as missing or misplaced model files. */
  reportedInputs: Set<string>;
  /** Classes already reported as missing nodes. */
  missingClasses: Set<string>;
  /** The worker's ComfyUI protocol, when known. */
  protocol?: ComfyProtocol;
}

/**
 * Validates the graph exactly as the worker will (validatePrompt with its node definitions and
 * files) and turns each remaining reason into a readable `validation` problem. Reasons already
 * covered by the node and model checks, and input files still to be uploaded, are left out.
 */
export function checkValidation(graph: ApiGraph, objectInfo: ObjectInfo, context: ValidationContext): PreflightProblem[] {
  let outcome;
  try {
    outcome = validatePrompt(graph, objectInfo, { inputFileExists: () => true, ...(context.protocol ? { protocol: context.protocol } : {}) });
  } catch (err) {
    if (err instanceof ValidationCrashError) {
      return [{ kind: 'validation', message: `ComfyUI would fail to validate this graph: ${err.message}`, fix: 'check that every node has class_type and inputs, then re-export the graph' }];
    }
    throw err;
  }
  const problems: PreflightProblem[] = [];
  for (const [nodeId, entry] of Object.entries(outcome.nodeErrors)) {
    for (const reason of entry.errors) {
      const input = typeof reason.extra_info.input_name === 'string' ? reason.extra_info.input_name : undefined;
      if (input && context.reportedInputs.has(`${nodeId}/${input}`)) continue;
      if (reason.type === 'value_not_in_list' && input && INPUT_FILE_INPUTS[entry.class_type] === input) continue;
      const [line] = renderNodeErrors(undefined, { [nodeId]: { ...entry, errors: [reason] } }, graph);
      problems.push({ kind: 'validation', nodeId, classType: entry.class_type, ...(input ? { input } : {}), message: line ?? reason.message, fix: fixFor(reason) });
    }
  }
  if (!outcome.ok && Object.keys(outcome.nodeErrors).length === 0) {
    const missingNode = outcome.error.type === 'invalid_prompt' && [...context.missingClasses].some((c) => outcome.error.message.includes(`node ${c} does not exist`));
    if (!missingNode) {
      const [line] = renderNodeErrors(outcome.error, {}, graph);
      const cycle = outcome.error.type === 'prompt_outputs_failed_validation' ? findCycle(graph) : undefined;
      const fix = cycle
        ? `break the cycle ${describeCycle(graph, cycle)}: a node cannot take its input, directly or through other nodes, from its own output`
        : fixFor({ type: outcome.error.type, message: '', details: '', extra_info: {} });
      problems.push({ kind: 'validation', ...(cycle ? { nodeId: cycle[0] } : {}), message: line ?? outcome.error.message, fix });
    }
  }
  return problems;
}
