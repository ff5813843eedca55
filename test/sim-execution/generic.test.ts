import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { gpuProfile } from '../../src/catalog/cost/gpu-profiles.js';
import { BUILTIN_HANDLERS, createNodeExecutor } from '../../src/sim/execution/create-node-executor.js';
import type { NodeExecutionContext } from '../../src/sim/execution/node-executor.js';
import { ClipValue, ConditioningValue, LatentValue, ModelValue } from '../../src/sim/execution/values.js';
import { tempDirs } from './run-graph.js';

function context(classType: string, inputs: Record<string, unknown>): NodeExecutionContext {
  return {
    promptId: 'p',
    nodeId: '1',
    classType,
    def: defaultObjectInfo()[classType]!,
    inputs,
    graph: {},
    dirs: tempDirs(),
    progress: () => undefined,
    spend: async () => undefined,
    throwIfInterrupted: () => undefined,
  };
}

describe('generic execution by declared output types', () => {
  it('every non-output node of the 0.3.64 snapshot without a specific handler yields one value per output', async () => {
    const executor = createNodeExecutor({ gpu: new GpuState(gpuProfile('rtx4090')) });
    const classes = Object.entries(defaultObjectInfo()).filter(([name, def]) => !def.output_node && !(name in BUILTIN_HANDLERS));
    // Fewer as image and mask nodes get real handlers (they are tested in image-pixels.test.ts).
    expect(classes.length).toBeGreaterThan(230);
    for (const [name, def] of classes) {
      const result = await executor.execute(context(name, {}));
      expect(result.outputs, name).toHaveLength(def.output.length);
      def.output.forEach((type, i) => {
        if (!['*', 'INT', 'FLOAT', 'STRING', 'BOOLEAN'].includes(type) && !Array.isArray(type)) expect(result.outputs[i], `${name}[${i}]`).toBeDefined();
      });
    }
  });

  it('passes typed values through: a model patch keeps its file, conditioning keeps its text', async () => {
    const executor = createNodeExecutor({ gpu: new GpuState(gpuProfile('rtx4090')) });
    const model = new ModelValue('wan.safetensors', 'wan22-14b', [], '2', { key: 'wan.safetensors', bytes: 1 });
    const shifted = (await executor.execute(context('ModelSamplingSD3', { model, shift: 8 }))).outputs[0] as ModelValue;
    expect(shifted.file).toBe('wan.safetensors');
    expect(shifted.patches).toEqual(['ModelSamplingSD3']);
    const cond = new ConditioningValue('a red kite');
    const zeroed = (await executor.execute(context('ConditioningZeroOut', { conditioning: cond }))).outputs[0];
    expect(zeroed).toBe(cond);
    const encoded = (await executor.execute(context('CLIPTextEncodeSDXL', { clip: new ClipValue([]), text_g: 'castle on a hill', text_l: 'castle' }))).outputs[0] as ConditioningValue;
    expect(encoded.text).toBe('castle on a hill');
    const latent = (await executor.execute(context('EmptyHunyuanLatentVideo', { width: 848, height: 480, length: 80, batch_size: 1 }))).outputs[0] as LatentValue;
    expect([latent.frames, latent.temporal]).toEqual([77, 20]);
    expect(String(latent)).toMatch(/^\{'samples': tensor\(\[\[\[\[\[0\., 0\., 0\.,/);
  });
});
