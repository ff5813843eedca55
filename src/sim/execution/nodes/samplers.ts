import { modelCost } from '../../../catalog/cost/model-costs.js';
import { samplerActivationBytes, samplerStepMs } from '../../../catalog/cost/sampler-cost.js';
import { type ExecutionEnv, type NodeHandler, input, num, str } from '../env.js';
import { NodeFailure, type NodeExecutionContext } from '../node-executor.js';
import { SAMPLER_OOM_FRAMES, nodeTraceback } from '../traceback.js';
import { ConditioningValue, GuiderValue, HandleValue, LatentValue, ModelValue, SigmasValue } from '../values.js';

interface SamplerRun {
  model: ModelValue | undefined;
  positive: ConditioningValue | undefined;
  negative: ConditioningValue | undefined;
  latent: LatentValue;
  /** Steps this node executes (progress max). */
  steps: number;
  cfg: number;
  seed: number | undefined;
  /** False for the second pass of a split (add_noise disabled): keep the first pass's seed. */
  addsNoise: boolean;
}

/**
 * The common sampling loop: make the model and one pass's activations fit (or raise
 * torch's OOM), then one progress update and one step's worth of simulated time per step.
 */
async function sample(ctx: NodeExecutionContext, env: ExecutionEnv, run: SamplerRun): Promise<LatentValue> {
  const { latent } = run;
  const cost = modelCost(run.model?.file ?? '', 'diffusion');
  const work = { width: latent.width, height: latent.height, frames: latent.frames, batch: latent.batch, cfg: run.cfg };
  if (run.steps > 0 && run.model) {
    let reloadMs: number;
    try {
      reloadMs = env.gpu.activations([run.model.ref], samplerActivationBytes(cost, work));
    } catch (error) {
      if (error instanceof NodeFailure && error.traceback.length === 0) {
        throw new NodeFailure(error.exceptionType, error.exceptionMessage, nodeTraceback(...SAMPLER_OOM_FRAMES));
      }
      throw error;
    }
    if (reloadMs > 0) await ctx.spend(reloadMs);
    const stepMs = samplerStepMs(cost, work, env.gpu.profile);
    for (let step = 0; step < run.steps; step += 1) {
      ctx.throwIfInterrupted();
      await ctx.spend(stepMs);
      ctx.progress(step + 1, run.steps);
    }
  }
  const previous = latent.content;
  const keepSeed = !run.addsNoise && previous?.seed !== undefined;
  return latent.with({
    stepsDone: latent.stepsDone + run.steps,
    content: {
      text: run.positive?.text ?? previous?.text ?? '',
      ...(run.negative?.text ? { negative: run.negative.text } : {}),
      ...(keepSeed ? { seed: previous!.seed } : run.seed === undefined ? {} : { seed: run.seed }),
      nodeId: keepSeed ? previous!.nodeId : ctx.nodeId,
      classType: keepSeed ? previous!.classType : ctx.classType,
      model: cost.family,
    },
  });
}

/** Steps a KSamplerAdvanced slice runs: sigmas[start:end+1] of a `steps` schedule. */
export function advancedSteps(steps: number, start: number, end: number): number {
  return Math.max(0, Math.min(end, steps) - Math.max(0, start));
}

const ksampler: NodeHandler = async (ctx, env) => {
  const latent = await sample(ctx, env, {
    model: input(ctx, 'model', ModelValue),
    positive: input(ctx, 'positive', ConditioningValue),
    negative: input(ctx, 'negative', ConditioningValue),
    latent: input(ctx, 'latent_image', LatentValue)!,
    steps: num(ctx, 'denoise', 1) > 0 ? num(ctx, 'steps', 20) : 0,
    cfg: num(ctx, 'cfg', 8),
    seed: num(ctx, 'seed', 0),
    addsNoise: true,
  });
  return { outputs: [latent] };
};

const ksamplerAdvanced: NodeHandler = async (ctx, env) => {
  const steps = num(ctx, 'steps', 20);
  const latent = await sample(ctx, env, {
    model: input(ctx, 'model', ModelValue),
    positive: input(ctx, 'positive', ConditioningValue),
    negative: input(ctx, 'negative', ConditioningValue),
    latent: input(ctx, 'latent_image', LatentValue)!,
    steps: advancedSteps(steps, num(ctx, 'start_at_step', 0), num(ctx, 'end_at_step', 10000)),
    cfg: num(ctx, 'cfg', 8),
    seed: num(ctx, 'noise_seed', 0),
    addsNoise: str(ctx, 'add_noise', 'enable') !== 'disable',
  });
  return { outputs: [latent] };
};

const samplerCustom: NodeHandler = async (ctx, env) => {
  const latent = await sample(ctx, env, {
    model: input(ctx, 'model', ModelValue),
    positive: input(ctx, 'positive', ConditioningValue),
    negative: input(ctx, 'negative', ConditioningValue),
    latent: input(ctx, 'latent_image', LatentValue)!,
    steps: input(ctx, 'sigmas', SigmasValue)?.steps ?? 0,
    cfg: num(ctx, 'cfg', 8),
    seed: num(ctx, 'noise_seed', 0),
    addsNoise: ctx.inputs.add_noise !== false,
  });
  return { outputs: [latent, latent] };
};

const samplerCustomAdvanced: NodeHandler = async (ctx, env) => {
  const guider = input(ctx, 'guider', GuiderValue);
  const noise = input(ctx, 'noise', HandleValue);
  const seed = typeof noise?.detail.seed === 'number' ? noise.detail.seed : undefined;
  const latent = await sample(ctx, env, {
    model: guider?.model,
    positive: guider?.positive,
    negative: guider?.negative,
    latent: input(ctx, 'latent_image', LatentValue)!,
    steps: input(ctx, 'sigmas', SigmasValue)?.steps ?? 0,
    cfg: guider?.cfg ?? 1,
    seed,
    addsNoise: noise?.from.classType !== 'DisableNoise',
  });
  return { outputs: [latent, latent] };
};

const scheduler: NodeHandler = async (ctx) => {
  const denoise = num(ctx, 'denoise', 1);
  return { outputs: [new SigmasValue(denoise <= 0 ? 0 : num(ctx, 'steps', 20))] };
};

const splitSigmas: NodeHandler = async (ctx) => {
  const n = input(ctx, 'sigmas', SigmasValue)?.steps ?? 0;
  if (ctx.classType === 'SplitSigmasDenoise') {
    const low = Math.round(n * num(ctx, 'denoise', 1));
    return { outputs: [new SigmasValue(n - low), new SigmasValue(low)] };
  }
  const step = Math.max(0, num(ctx, 'step', 0));
  return { outputs: [new SigmasValue(Math.min(step, n)), new SigmasValue(Math.max(0, n - step))] };
};

const guider: NodeHandler = async (ctx) => {
  const model = input(ctx, 'model', ModelValue);
  const positive = input(ctx, 'positive', ConditioningValue) ?? input(ctx, 'conditioning', ConditioningValue) ?? input(ctx, 'cond1', ConditioningValue);
  const negative = input(ctx, 'negative', ConditioningValue);
  const cfg = ctx.classType === 'BasicGuider' ? 1 : num(ctx, 'cfg', num(ctx, 'cfg_conds', 8));
  return { outputs: [new GuiderValue(model, positive, negative, cfg)] };
};

const noise: NodeHandler = async (ctx) => ({
  outputs: [new HandleValue('NOISE', { nodeId: ctx.nodeId, classType: ctx.classType }, ctx.classType === 'RandomNoise' ? { seed: num(ctx, 'noise_seed', 0) } : {})],
});

export const samplerHandlers: Record<string, NodeHandler> = {
  KSampler: ksampler,
  KSamplerAdvanced: ksamplerAdvanced,
  SamplerCustom: samplerCustom,
  SamplerCustomAdvanced: samplerCustomAdvanced,
  BasicScheduler: scheduler,
  KarrasScheduler: scheduler,
  ExponentialScheduler: scheduler,
  PolyexponentialScheduler: scheduler,
  SDTurboScheduler: scheduler,
  AlignYourStepsScheduler: scheduler,
  BetaSamplingScheduler: scheduler,
  LaplaceScheduler: scheduler,
  LTXVScheduler: scheduler,
  SplitSigmas: splitSigmas,
  SplitSigmasDenoise: splitSigmas,
  CFGGuider: guider,
  BasicGuider: guider,
  DualCFGGuider: guider,
  RandomNoise: noise,
  DisableNoise: noise,
};
