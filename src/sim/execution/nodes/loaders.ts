import type { ModelRef } from '../../cost/gpu-state.js';
import { modelCost, weightsWithDtype, type ModelKind } from '../../../catalog/cost/model-costs.js';
import type { NodeExecutionContext } from '../node-executor.js';
import { type ExecutionEnv, type NodeHandler, input, spend, str } from '../env.js';
import { ClipValue, LoadedFileValue, ModelValue, VaeValue } from '../values.js';

const MB = 1e6;

function ref(file: string, kind: ModelKind, weightDtype?: string): ModelRef {
  const cost = modelCost(file, kind);
  const bytes = weightsWithDtype(cost, weightDtype);
  return { key: weightDtype && weightDtype !== 'default' ? `${file}@${weightDtype}` : file, bytes };
}

function outputsByType(ctx: NodeExecutionContext, values: Record<string, unknown>): unknown[] {
  return ctx.def.output.map((type) => values[type]);
}

/** Charges the model load (0 when already resident) through the engine's clock. */
async function load(ctx: NodeExecutionContext, env: ExecutionEnv, refs: ModelRef[]): Promise<void> {
  let ms = 0;
  for (const r of refs) ms += env.gpu.ensureLoaded(r);
  await spend(ctx, ms);
}

const checkpoint: NodeHandler = async (ctx, env) => {
  const file = str(ctx, 'ckpt_name');
  const cost = modelCost(file, 'diffusion');
  const model: ModelRef = { key: file, bytes: cost.weightsBytes };
  const clip: ModelRef = { key: `${file}#clip`, bytes: cost.family === 'sdxl' || cost.family === 'sdxl-turbo' ? 1.6e9 : 246 * MB };
  const vaeCost = modelCost('vae', 'vae');
  const vae: ModelRef = { key: `${file}#vae`, bytes: vaeCost.weightsBytes };
  await load(ctx, env, [model]);
  return {
    outputs: outputsByType(ctx, {
      MODEL: new ModelValue(file, cost.family, [], ctx.nodeId, model),
      CLIP: new ClipValue([clip], [], ctx.nodeId),
      VAE: new VaeValue(`${file}#vae`, ctx.nodeId, vae, { ...vaeCost, downscale: 8, channels: 4 }),
      CLIP_VISION: new LoadedFileValue('CLIP_VISION', `${file}#clip_vision`, ctx.nodeId, { key: `${file}#clip_vision`, bytes: 1.26e9 }),
    }),
  };
};

const unet: NodeHandler = async (ctx, env) => {
  const file = str(ctx, 'unet_name') || str(ctx, 'model_name');
  const r = ref(file, 'diffusion', str(ctx, 'weight_dtype', 'default'));
  await load(ctx, env, [r]);
  return { outputs: [new ModelValue(file, modelCost(file, 'diffusion').family, [], ctx.nodeId, r)] };
};

/** CLIPLoader, DualCLIPLoader, TripleCLIPLoader, QuadrupleCLIPLoader. */
const clipLoader: NodeHandler = async (ctx, env) => {
  const files = Object.keys(ctx.inputs)
    .filter((k) => /^clip_name\d*$/.test(k))
    .sort()
    .map((k) => str(ctx, k))
    .filter(Boolean);
  const refs = files.map((f) => ref(f, 'text-encoder'));
  await load(ctx, env, refs);
  return { outputs: [new ClipValue(refs, [], ctx.nodeId)] };
};

const vaeLoader: NodeHandler = async (ctx, env) => {
  const file = str(ctx, 'vae_name');
  const cost = modelCost(file, 'vae');
  const r = { key: file, bytes: file === 'pixel_space' ? 0 : cost.weightsBytes };
  await load(ctx, env, [r]);
  return { outputs: [new VaeValue(file, ctx.nodeId, r, cost)] };
};

/** LoraLoader / LoraLoaderModelOnly: read once from disk, then a patch on MODEL (and CLIP). */
const lora: NodeHandler = async (ctx, env) => {
  const file = str(ctx, 'lora_name');
  const r = ref(file, 'lora');
  await spend(ctx, env.gpu.readFromDisk(r));
  const model = input(ctx, 'model', ModelValue);
  const clip = input(ctx, 'clip', ClipValue);
  const patch = `lora:${file}`;
  return {
    outputs: outputsByType(ctx, {
      MODEL: model?.withPatch(patch) ?? new ModelValue(file, 'lora', [patch], ctx.nodeId),
      CLIP: clip?.withPatch(patch) ?? new ClipValue([], [patch], ctx.nodeId),
    }),
  };
};

function fileLoader(type: string, inputName: string, kind: ModelKind): NodeHandler {
  return async (ctx, env) => {
    const file = str(ctx, inputName);
    const r = ref(file, kind);
    await load(ctx, env, [r]);
    return { outputs: [new LoadedFileValue(type, file, ctx.nodeId, r)] };
  };
}

export const loaderHandlers: Record<string, NodeHandler> = {
  CheckpointLoaderSimple: checkpoint,
  CheckpointLoader: checkpoint,
  ImageOnlyCheckpointLoader: checkpoint,
  unCLIPCheckpointLoader: checkpoint,
  UNETLoader: unet,
  UnetLoaderGGUF: unet,
  CLIPLoader: clipLoader,
  DualCLIPLoader: clipLoader,
  TripleCLIPLoader: clipLoader,
  QuadrupleCLIPLoader: clipLoader,
  CLIPLoaderGGUF: clipLoader,
  DualCLIPLoaderGGUF: clipLoader,
  VAELoader: vaeLoader,
  LoraLoader: lora,
  LoraLoaderModelOnly: lora,
  CLIPVisionLoader: fileLoader('CLIP_VISION', 'clip_name', 'clip-vision'),
  ControlNetLoader: fileLoader('CONTROL_NET', 'control_net_name', 'controlnet'),
  DiffControlNetLoader: fileLoader('CONTROL_NET', 'control_net_name', 'controlnet'),
  UpscaleModelLoader: fileLoader('UPSCALE_MODEL', 'model_name', 'upscaler'),
};
