import { type NodeHandler, firstOf, inputOrder, spend } from '../env.js';
import type { NodeExecutionContext } from '../node-executor.js';
import { ClipValue, ConditioningValue } from '../values.js';

const TEXT_INPUTS = ['text', 'prompt', 'text_g', 't5xxl', 'clip_l', 'text_l', 'positive_prompt'];

/** The prompt text a text-encoder node carries: its usual text input, else all its strings. */
export function promptText(ctx: NodeExecutionContext): string {
  for (const name of TEXT_INPUTS) {
    const v = ctx.inputs[name];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return inputOrder(ctx)
    .map((n) => ctx.inputs[n])
    .filter((v): v is string => typeof v === 'string' && /\s/.test(v))
    .join(' / ');
}

/**
 * CLIPTextEncode and friends (any node taking a CLIP and giving CONDITIONING): loads the
 * text encoders (resident after the first use) and carries the text downstream.
 */
export const encodeText: NodeHandler = async (ctx, env) => {
  const clip = firstOf(ctx, ClipValue);
  let ms = 0;
  for (const r of clip?.refs ?? []) {
    ms += env.gpu.ensureLoaded(r);
    ms += 40 + (r.bytes / 1e9) * 30; // one forward pass of the encoder: ~30 ms per GB of weights
  }
  await spend(ctx, ms / env.gpu.profile.speed);
  const text = promptText(ctx);
  return { outputs: ctx.def.output.map((type) => (type === 'CONDITIONING' ? new ConditioningValue(text, undefined, ctx.nodeId) : undefined)) };
};

/** ConditioningCombine / ConditioningConcat: both texts reach the sampler. */
export const combineConditioning: NodeHandler = async (ctx) => {
  const texts = inputOrder(ctx)
    .map((n) => ctx.inputs[n])
    .filter((v): v is ConditioningValue => v instanceof ConditioningValue)
    .map((c) => c.text)
    .filter(Boolean);
  return { outputs: [new ConditioningValue(texts.join(' + '), undefined, ctx.nodeId)] };
};

export const conditioningHandlers: Record<string, NodeHandler> = {
  CLIPTextEncode: encodeText,
  CLIPTextEncodeSDXL: encodeText,
  CLIPTextEncodeSDXLRefiner: encodeText,
  CLIPTextEncodeFlux: encodeText,
  CLIPTextEncodeSD3: encodeText,
  CLIPTextEncodeHunyuanDiT: encodeText,
  TextEncodeHunyuanVideo_ImageToVideo: encodeText,
  TextEncodeQwenImageEdit: encodeText,
  TextEncodeQwenImageEditPlus: encodeText,
  ConditioningCombine: combineConditioning,
  ConditioningConcat: combineConditioning,
};
