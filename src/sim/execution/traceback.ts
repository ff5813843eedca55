/**
 * Python-style traceback frames for `execution_error.traceback`: ComfyUI's own execution.py
 * frames (recorded from 0.3.64, fixture 06) followed by the node's frames.
 */
const EXECUTION_FRAMES = [
  '  File "/opt/ComfyUI/execution.py", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/opt/ComfyUI/execution.py", line 315, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/opt/ComfyUI/execution.py", line 289, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n',
  '  File "/opt/ComfyUI/execution.py", line 277, in process_inputs\n    result = f(**inputs)\n',
];

/** One frame: `  File "<file>", line <n>, in <fn>\n    <code>\n`. */
export function frame(file: string, line: number, fn: string, code: string): string {
  return `  File "/opt/ComfyUI/${file}", line ${line}, in ${fn}\n    ${code}\n`;
}

export function nodeTraceback(...nodeFrames: string[]): string[] {
  return [...EXECUTION_FRAMES, ...nodeFrames];
}

/** Frames of a sampler that ran out of memory inside the diffusion model. */
export const SAMPLER_OOM_FRAMES = [
  frame('nodes.py', 1525, 'sample', 'return common_ksampler(model, seed, steps, cfg, sampler_name, scheduler, positive, negative, latent_image, denoise=denoise)'),
  frame('nodes.py', 1492, 'common_ksampler', 'samples = comfy.sample.sample(model, noise, steps, cfg, sampler_name, scheduler, positive, negative, latent_image,'),
  frame('comfy/samplers.py', 1163, 'sample', 'return sample(self.model, noise, positive, negative, cfg, self.device, sampler, sigmas, self.model_options, latent_image=latent_image, denoise_mask=denoise_mask, callback=callback, disable_pbar=disable_pbar, seed=seed)'),
  frame('comfy/samplers.py', 325, 'calc_cond_batch', 'output = model.apply_model(input_x, timestep_, **c).chunk(batch_chunks)'),
  frame('comfy/ldm/modules/attention.py', 563, 'attention_pytorch', 'out = comfy.ops.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=0.0, is_causal=False)'),
];
