import { createHash } from 'node:crypto';
import { pyRepr } from '../server/py-json.js';

export const OOM_TIPS =
  'This error means you ran out of memory on your GPU.\n\nTIPS: If the workflow worked before you might have accidentally set the batch_size to a large number.';

/** The frames every node failure in 0.3.64 starts with (execution.py's call chain). */
const EXECUTION_FRAMES = [
  '  File "/opt/ComfyUI/execution.py", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/opt/ComfyUI/execution.py", line 315, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/opt/ComfyUI/execution.py", line 289, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n',
  '  File "/opt/ComfyUI/execution.py", line 277, in process_inputs\n    result = f(**inputs)\n',
];

/** A traceback for a failure that brought none: the execution frames plus one for the node. */
export function syntheticTraceback(classType: string, pythonModule: string | undefined): string[] {
  const file = `/opt/ComfyUI/${(pythonModule ?? 'nodes').replace(/\./g, '/')}.py`;
  return [...EXECUTION_FRAMES, `  File "${file}", line 1, in ${classType}\n    raise\n`];
}

/** `exception_message` = `"{ex}\n{tips}"`; tips only for CUDA OOM. */
export function exceptionMessage(exceptionType: string, message: string): string {
  return `${message}\n${isOutOfMemory(exceptionType) ? OOM_TIPS : ''}`;
}

export function isOutOfMemory(exceptionType: string): boolean {
  return exceptionType.endsWith('OutOfMemoryError');
}

/**
 * `format_value`: primitives stay, everything else becomes its `str()`. Emulator values
 * (typed handles) are shown with their own `toString()` when they define one, else in
 * Python's default `<module.Class object at 0x...>` form.
 */
export function formatValue(value: unknown, hint: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype) return pyRepr(value);
  const own = (value as { toString?: () => string }).toString;
  if (typeof own === 'function' && own !== Object.prototype.toString) return own.call(value);
  const address = createHash('sha1').update(hint).digest('hex').slice(0, 12);
  const name = (value as object).constructor?.name ?? 'object';
  return `<comfy.${name} object at 0x7f${address}>`;
}
