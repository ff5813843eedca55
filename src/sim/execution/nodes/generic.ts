import type { NodeExecutionContext } from '../node-executor.js';
import { type NodeHandler, inputOrder, num } from '../env.js';
import {
  AudioValue,
  ClipValue,
  ConditioningValue,
  HandleValue,
  ImageValue,
  LatentValue,
  MaskValue,
  ModelValue,
  VideoValue,
} from '../values.js';
import { cardsOf, latentFromInputs } from './latents.js';
import { promptText } from './conditioning.js';

function inputsOfType(ctx: NodeExecutionContext, type: string): unknown[] {
  return inputOrder(ctx)
    .map((n) => ctx.inputs[n])
    .filter((v) => typeof v === 'object' && v !== null && (v as { type?: unknown }).type === type);
}

function primitive(ctx: NodeExecutionContext, type: string, index: number): unknown {
  const name = ctx.def.output_name[index]?.toLowerCase();
  if (name !== undefined && name in ctx.inputs) return ctx.inputs[name];
  const want = type === 'STRING' ? 'string' : type === 'BOOLEAN' ? 'boolean' : 'number';
  const found = inputOrder(ctx)
    .map((n) => ctx.inputs[n])
    .find((v) => typeof v === want && (type !== 'INT' || Number.isInteger(v)));
  return found ?? (type === 'STRING' ? '' : type === 'BOOLEAN' ? false : 0);
}

function sizeFromInputs(ctx: NodeExecutionContext): { width: number; height: number } {
  return { width: num(ctx, 'width', 512), height: num(ctx, 'height', 512) };
}

/**
 * Any node the emulator has no specific behaviour for: each declared output is derived from
 * the inputs by type. The k-th output of a type passes the k-th input of that type through
 * (with the node recorded as a patch for MODEL/CLIP); IMAGE/LATENT/MASK without such an
 * input take their shape from width/height/length/batch_size; the rest become typed handles.
 */
export const genericNode: NodeHandler = async (ctx) => {
  const seen = new Map<string, number>();
  const outputs = ctx.def.output.map((type, index) => {
    const ordinal = seen.get(type) ?? 0;
    seen.set(type, ordinal + 1);
    const same = inputsOfType(ctx, type);
    const through = same[ordinal] ?? same[0];
    switch (type) {
      case 'INT':
      case 'FLOAT':
      case 'STRING':
      case 'BOOLEAN':
        return primitive(ctx, type, index);
      case 'MODEL':
        return through instanceof ModelValue ? through.withPatch(ctx.classType) : new ModelValue(ctx.classType, 'unknown', [], ctx.nodeId);
      case 'CLIP':
        return through instanceof ClipValue ? through.withPatch(ctx.classType) : new ClipValue([], [ctx.classType], ctx.nodeId);
      case 'CONDITIONING':
        return through ?? new ConditioningValue(promptText(ctx), undefined, ctx.nodeId);
      case 'LATENT':
        return through ?? latentFromInputs(ctx);
      case 'IMAGE': {
        if (through) return through;
        const latent = inputsOfType(ctx, 'LATENT')[0];
        if (latent instanceof LatentValue) {
          const cards = cardsOf(latent, ctx);
          return new ImageValue(latent.pixelWidth, latent.pixelHeight, cards.length, cards);
        }
        const video = inputsOfType(ctx, 'VIDEO')[0];
        if (video instanceof VideoValue) return video.images ?? new ImageValue(video.width, video.height, video.frames, video.cards);
        const { width, height } = sizeFromInputs(ctx);
        const batch = num(ctx, 'batch_size', 1);
        const text = promptText(ctx) || ctx.classType;
        const cards = Array.from({ length: batch }, (_, frame) => ({ text, nodeId: ctx.nodeId, classType: ctx.classType, frame, width, height }));
        return new ImageValue(width, height, batch, cards);
      }
      case 'MASK': {
        if (through) return through;
        const image = inputsOfType(ctx, 'IMAGE')[0];
        if (image instanceof ImageValue) return new MaskValue(image.width, image.height, image.batch);
        const { width, height } = sizeFromInputs(ctx);
        return new MaskValue(width, height, 1);
      }
      case 'VIDEO': {
        if (through) return through;
        const image = inputsOfType(ctx, 'IMAGE')[0];
        if (image instanceof ImageValue) return new VideoValue(image.batch, num(ctx, 'fps', 24), image.width, image.height, image.cards, image);
        return new HandleValue(type, { nodeId: ctx.nodeId, classType: ctx.classType });
      }
      case 'AUDIO':
        return through ?? new AudioValue(num(ctx, 'seconds', num(ctx, 'duration', 1)));
      default:
        return through ?? new HandleValue(type, { nodeId: ctx.nodeId, classType: ctx.classType });
    }
  });
  return { outputs };
};
