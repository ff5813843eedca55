import { frameAt, type PyFrame } from './python-exception.js';

/**
 * The source lines of ComfyUI 0.3.64 (commit a125cd84) where validation can raise, so that
 * `extra_info.traceback` reads like the real server's (paths as in the recorded fixture).
 */
const ROOT = '/opt/ComfyUI';
const EXECUTION = `${ROOT}/execution.py`;

export const FRAMES = {
  validatePromptCall: frameAt(EXECUTION, 1010, 'validate_prompt', 'm = await validate_inputs(prompt_id, prompt, o, validated)', 'await validate_inputs(prompt_id, prompt, o, validated)'),
  innerCall: frameAt(EXECUTION, 808, 'validate_inputs', 'r = await validate_inputs(prompt_id, prompt, o_id, validated)', 'await validate_inputs(prompt_id, prompt, o_id, validated)'),
  readInputs: frameAt(EXECUTION, 730, 'validate_inputs', "inputs = prompt[unique_id]['inputs']", "prompt[unique_id]['inputs']", 'prompt[unique_id]'),
  inputMembership: frameAt(EXECUTION, 757, 'validate_inputs', 'if x not in inputs:', 'x not in inputs'),
  inputValue: frameAt(EXECUTION, 770, 'validate_inputs', 'val = inputs[x]', 'inputs[x]', 'inputs'),
  linkedNode: frameAt(EXECUTION, 788, 'validate_inputs', "o_class_type = prompt[o_id]['class_type']", 'prompt[o_id]', 'prompt'),
  linkedOutput: frameAt(EXECUTION, 790, 'validate_inputs', 'received_type = r[val[1]]', 'r[val[1]]', 'r'),
  minCompare: frameAt(EXECUTION, 869, 'validate_inputs', 'if "min" in extra_info and val < extra_info["min"]:', 'val < extra_info["min"]'),
  maxCompare: frameAt(EXECUTION, 882, 'validate_inputs', 'if "max" in extra_info and val > extra_info["max"]:', 'val > extra_info["max"]'),
  customCall: frameAt(
    EXECUTION,
    932,
    'validate_inputs',
    'ret = await _async_map_node_over_list(prompt_id, unique_id, obj_class, input_filtered, validate_function_name, hidden_inputs=hidden_inputs)',
    'await _async_map_node_over_list(prompt_id, unique_id, obj_class, input_filtered, validate_function_name, hidden_inputs=hidden_inputs)',
  ),
  mapListCall: frameAt(EXECUTION, 283, '_async_map_node_over_list', 'await process_inputs(input_data_all, 0, input_is_list=input_is_list)'),
  mapEmptyCall: frameAt(EXECUTION, 285, '_async_map_node_over_list', 'await process_inputs({})'),
  mapSliceCall: frameAt(EXECUTION, 289, '_async_map_node_over_list', 'await process_inputs(input_dict, i)'),
  processInputs: frameAt(EXECUTION, 277, 'process_inputs', 'result = f(**inputs)', 'f(**inputs)'),
  existsAnnotated: frameAt(`${ROOT}/folder_paths.py`, 205, 'exists_annotated_filepath', 'name, base_dir = annotated_filepath(name)', 'annotated_filepath(name)'),
  annotatedEndswith: frameAt(`${ROOT}/folder_paths.py`, 177, 'annotated_filepath', 'if name.endswith("[output]"):', 'name.endswith'),
} satisfies Record<string, PyFrame>;

/** The frame of a node's own VALIDATE_INPUTS line that calls `exists_annotated_filepath(arg)`. */
export function validateFileFrame(file: string, line: number, fn: string, arg: string): PyFrame {
  const call = `folder_paths.exists_annotated_filepath(${arg})`;
  return frameAt(`${ROOT}/${file}`, line, fn, `if not ${call}:`, call);
}
