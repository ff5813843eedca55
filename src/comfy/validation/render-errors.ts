import type { ApiGraph } from '../graph.js';
import { describeCycle, findCycle } from '../graph-cycle.js';
import { modelInputFolder } from '../object-info/model-lists.js';
import { pyRepr } from '../python-repr.js';
import type { NodeErrorReason, NodeErrors, PromptError } from './types.js';

/**
 * Readable lines for a validation failure, one per reason, for the CLI and preflight reports:
 * `node 4 (CheckpointLoaderSimple) input ckpt_name: value not in list: 'x.safetensors' is not
 * one of the 2 files the worker has`. Node titles from `graph` (`_meta.title`) are shown when set.
 */
export function renderNodeErrors(error: PromptError | undefined, nodeErrors: NodeErrors, graph?: ApiGraph): string[] {
  const lines: string[] = [];
  for (const [nodeId, entry] of Object.entries(nodeErrors)) {
    const title = graph?.[nodeId]?._meta?.title;
    const who = `node ${nodeId} (${entry.class_type}${title && title !== entry.class_type ? ` "${title}"` : ''})`;
    for (const reason of entry.errors) lines.push(`${who}${inputPart(reason)}: ${describe(entry.class_type, reason)}`);
  }
  // A link cycle: ComfyUI fails the outputs without a node error to say why.
  const cycle = lines.length === 0 && error?.type === 'prompt_outputs_failed_validation' && graph ? findCycle(graph) : undefined;
  if (cycle) lines.push(`nodes ${describeCycle(graph!, cycle)} form a cycle: ${error!.message.toLowerCase()}`);
  else if (lines.length === 0 && error) {
    lines.push(error.details ? `${error.message}: ${error.details}` : error.message);
  }
  return lines;
}

function inputPart(reason: NodeErrorReason): string {
  const name = reason.extra_info.input_name;
  return typeof name === 'string' ? ` input ${name}` : '';
}

function describe(classType: string, reason: NodeErrorReason): string {
  const x = reason.extra_info;
  switch (reason.type) {
    case 'value_not_in_list': {
      const inputName = String(x.input_name);
      const config = x.input_config as [unknown, unknown] | null;
      const length = Array.isArray(config?.[0]) ? config[0].length : Number(/list of length (\d+)/.exec(reason.details)?.[1] ?? NaN);
      const value = pyRepr(x.received_value);
      if (modelInputFolder(classType, inputName)) {
        return `value not in list: ${value} is not one of the ${length} ${length === 1 ? 'file' : 'files'} the worker has`;
      }
      const options = Array.isArray(config?.[0]) ? `: ${pyRepr(config[0])}` : '';
      return `value not in list: ${value} is not one of the ${length} allowed values${options}`;
    }
    case 'required_input_missing':
      return 'required input is missing';
    case 'return_type_mismatch':
      return `linked to an output of type ${String(x.received_type)}, which this input does not accept`;
    case 'value_smaller_than_min':
    case 'value_bigger_than_max':
      return reason.message.replace(/^Value/, 'value');
    case 'custom_validation_failed':
      return reason.details.includes(' - ') ? reason.details.slice(reason.details.indexOf(' - ') + 3) : 'rejected by the node';
    case 'exception_during_validation':
    case 'exception_during_inner_validation':
      return `validation raised ${String(x.exception_type)}: ${reason.details}`;
    default:
      return `${reason.message}: ${reason.details}`;
  }
}
