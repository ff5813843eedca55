import type { GpuState } from '../cost/gpu-state.js';
import { CardRenderer } from '../render/card.js';
import type { ExecutionEnv, NodeHandler } from './env.js';
import type { NodeExecutionContext, NodeExecutionResult, NodeExecutor } from './node-executor.js';
import { conditioningHandlers, encodeText } from './nodes/conditioning.js';
import { genericNode } from './nodes/generic.js';
import { imageHandlers } from './nodes/images.js';
import { imageTransformHandlers } from './nodes/image-transforms.js';
import { latentHandlers } from './nodes/latents.js';
import { loaderHandlers } from './nodes/loaders.js';
import { maskHandlers } from './nodes/masks.js';
import { samplerHandlers } from './nodes/samplers.js';
import { saveImageHandlers } from './nodes/save-image.js';
import { videoHandlers } from './nodes/video.js';

export interface NodeExecutorOptions {
  gpu: GpuState;
  /**
   * Informational: the engine's `ctx.spend` applies the time scale. Kept so callers can build
   * the executor and the engine from one options object.
   */
  timeScale?: number;
  /** Shared card cache (e.g. across emulator restarts in one process). */
  cards?: CardRenderer;
  /** Randomness for PreviewImage suffixes; defaults to Math.random. */
  random?: () => number;
  /** Clock for `%year%`-style prefix variables. */
  now?: () => Date;
  /** Extra or overriding handlers by class_type (custom nodes). */
  handlers?: Record<string, NodeHandler>;
}

export const BUILTIN_HANDLERS: Readonly<Record<string, NodeHandler>> = {
  ...loaderHandlers,
  ...conditioningHandlers,
  ...latentHandlers,
  ...samplerHandlers,
  ...imageHandlers,
  ...imageTransformHandlers,
  ...maskHandlers,
  ...saveImageHandlers,
  ...videoHandlers,
};

/** Nodes with no specific handler that take a CLIP and produce CONDITIONING are text encoders. */
function handlerFor(ctx: NodeExecutionContext, handlers: Record<string, NodeHandler>): NodeHandler {
  const own = handlers[ctx.classType];
  if (own) return own;
  const inputs = { ...ctx.def.input.required, ...ctx.def.input.optional };
  const takesClip = Object.values(inputs).some((spec) => spec[0] === 'CLIP');
  if (takesClip && ctx.def.output.includes('CONDITIONING')) return encodeText;
  return genericNode;
}

/**
 * The emulator's node executor: runs any node of object_info by its declared outputs, with
 * real behaviour for loaders, text encoders, latents, samplers, image ops and savers (PNG
 * cards with sharp, clips with ffmpeg), charging simulated time on `gpu`.
 *
 * @example
 *   const executor = createNodeExecutor({ gpu: new GpuState(gpuProfile('rtx4090')) });
 *   const { outputs, ui } = await executor.execute(context);
 */
export function createNodeExecutor(options: NodeExecutorOptions): NodeExecutor {
  const env: ExecutionEnv = {
    gpu: options.gpu,
    cards: options.cards ?? new CardRenderer(),
    random: options.random ?? Math.random,
    now: options.now ?? (() => new Date()),
    nodeState: new Map(),
  };
  const handlers = { ...BUILTIN_HANDLERS, ...options.handlers };
  return {
    async execute(ctx: NodeExecutionContext): Promise<NodeExecutionResult> {
      ctx.throwIfInterrupted();
      const handler = handlerFor(ctx, handlers);
      const result = await handler(ctx, env);
      let outputs = ctx.def.output.map((_, i) => result.outputs[i]);
      if (handler !== genericNode && outputs.some((v) => v === undefined)) {
        // A specific handler only fills the outputs it models; derive the rest by type.
        const fallback = (await genericNode(ctx, env)).outputs;
        outputs = outputs.map((v, i) => v ?? fallback[i]);
      }
      return result.ui === undefined ? { outputs } : { outputs, ui: result.ui };
    },
  };
}
