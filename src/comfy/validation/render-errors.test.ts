import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../graph.js';
import { defaultObjectInfo } from '../object-info/load.js';
import { applyModelLists } from '../object-info/model-lists.js';
import { renderNodeErrors } from './render-errors.js';
import { validatePrompt } from './validate-prompt.js';

describe('renderNodeErrors', () => {
  it('explains a missing model file and a bad range in one line each', () => {
    const info = applyModelLists(defaultObjectInfo(), { checkpoints: ['a.safetensors', 'b.safetensors'] });
    const graph = {
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'x.safetensors' }, _meta: { title: 'Base model' } },
      '5': { class_type: 'PreviewAny', inputs: { source: ['4', 0] } },
      '1': { class_type: 'EmptyImage', inputs: { width: 99999, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
    } as ApiGraph;
    const outcome = validatePrompt(graph, info);
    if (outcome.ok) throw new Error('expected failure');
    expect(renderNodeErrors(outcome.error, outcome.nodeErrors, graph).sort()).toEqual([
      'node 1 (EmptyImage) input width: value 99999 bigger than max of 16384',
      `node 4 (CheckpointLoaderSimple "Base model") input ckpt_name: value not in list: 'x.safetensors' is not one of the 2 files the worker has`,
    ]);
  });

  it('falls back to the top-level error when no node has reasons', () => {
    expect(renderNodeErrors({ type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} }, {})).toEqual([
      'Prompt has no outputs',
    ]);
  });
});
