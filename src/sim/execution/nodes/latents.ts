import { vaeMs } from '../../../catalog/cost/sampler-cost.js';
import { modelCost } from '../../../catalog/cost/model-costs.js';
import { type ExecutionEnv, type NodeHandler, firstOf, input, num, spend } from '../env.js';
import type { NodeExecutionContext } from '../node-executor.js';
import { ConditioningValue, ImageValue, LatentValue, VaeValue, type CardSpec } from '../values.js';

/** Temporal compression of the video VAE a latent node is made for (frames = k·n + 1). */
function temporalStride(classType: string): number {
  if (/LTXV/i.test(classType)) return 8;
  if (/Mochi/i.test(classType)) return 6;
  if (/SVD|StableZero|Cosmos/i.test(classType)) return 1;
  return 4;
}

/** Pixel frames a video latent of `length` decodes to. */
export function decodedFrames(length: number, stride: number): number {
  if (length <= 1 || stride <= 1) return Math.max(1, length);
  return Math.floor((length - 1) / stride) * stride + 1;
}

/**
 * A LATENT built from width/height/length/batch_size inputs: Empty*Latent*, EmptyHunyuanLatentVideo,
 * WanImageToVideo, Wan22ImageToVideoLatent (16× VAE, 48 channels), HunyuanImageToVideo…
 */
export function latentFromInputs(ctx: NodeExecutionContext): LatentValue {
  const vae = firstOf(ctx, VaeValue);
  const wan22 = /Wan22/.test(ctx.classType) || vae?.cost?.downscale === 16;
  // HunyuanVideo 1.5 latents are 32 channels at 1/16 (EmptyHunyuanVideo15Latent has no VAE input).
  const hunyuan15 = /HunyuanVideo15/.test(ctx.classType);
  const length = num(ctx, 'length', num(ctx, 'video_frames', 1));
  const frames = decodedFrames(length, temporalStride(ctx.classType));
  const image = /Image$|ImageLatent$/.test(ctx.classType) && !/Video/.test(ctx.classType);
  const downscale = vae?.cost?.downscale ?? (wan22 || hunyuan15 ? 16 : 8);
  const channels = vae?.cost?.channels ?? (wan22 ? 48 : hunyuan15 ? 32 : /SD3|Hunyuan|Wan|Qwen|Flux|Cosmos|Mochi/.test(ctx.classType) ? 16 : image ? 4 : 16);
  // Qwen-Image-Layered samples the composite and each layer together; LatentCutToBatch makes them a batch.
  const layers = ctx.classType === 'EmptyQwenImageLayeredLatentImage' ? num(ctx, 'layers', 1) + 1 : 1;
  const start = firstOf(ctx, ImageValue);
  const positive = firstOf(ctx, ConditioningValue);
  const content = start?.cards[0]
    ? { text: positive?.text ?? start.cards[0].text, nodeId: ctx.nodeId, classType: ctx.classType }
    : undefined;
  return new LatentValue(num(ctx, 'width', 512), num(ctx, 'height', 512), num(ctx, 'batch_size', 1) * layers, frames, channels, downscale, content);
}

const emptyLatent: NodeHandler = async (ctx) => {
  const latent = latentFromInputs(ctx);
  const conds = ctx.def.output.filter((t) => t === 'CONDITIONING').length;
  const condInputs = ['positive', 'negative'].map((n) => input(ctx, n, ConditioningValue));
  let condIndex = 0;
  return {
    outputs: ctx.def.output.map((type) => {
      if (type === 'LATENT') return latent;
      if (type === 'CONDITIONING' && conds > 0) return condInputs[condIndex++] ?? new ConditioningValue('', undefined, ctx.nodeId);
      // WanVaceToVideo's trim_latent: the reference image's extra latent frame, cut by TrimVideoLatent.
      if (type === 'INT' && ctx.classType === 'WanVaceToVideo') return ctx.inputs.reference_image instanceof ImageValue ? 1 : 0;
      return undefined;
    }),
  };
};

const latentUpscale: NodeHandler = async (ctx) => {
  const latent = input(ctx, 'samples', LatentValue)!;
  const by = num(ctx, 'scale_by', 0);
  const width = by > 0 ? Math.round(latent.width * by) : num(ctx, 'width', latent.width) || latent.width;
  const height = by > 0 ? Math.round(latent.height * by) : num(ctx, 'height', latent.height) || latent.height;
  return { outputs: [latent.with({ width, height })] };
};

function vaeCost(vae: VaeValue | undefined) {
  return vae?.cost ?? modelCost(vae?.file ?? 'vae', 'vae');
}

async function chargeVae(ctx: NodeExecutionContext, env: ExecutionEnv, vae: VaeValue | undefined, width: number, height: number, frames: number): Promise<void> {
  const ms = (vae ? env.gpu.ensureLoaded(vae.ref) : 0) + vaeMs(vaeCost(vae), width, height, frames, env.gpu.profile);
  await spend(ctx, ms);
}

/** The cards of a decoded latent: one per frame of every batch item. */
export function cardsOf(latent: LatentValue, fallback: { nodeId: string; classType: string }): CardSpec[] {
  const c = latent.content;
  const cards: CardSpec[] = [];
  for (let b = 0; b < latent.batch; b += 1) {
    for (let f = 0; f < latent.frames; f += 1) {
      cards.push({
        text: c?.text ?? '(empty latent)',
        ...(c?.negative ? { negative: c.negative } : {}),
        nodeId: c?.nodeId ?? fallback.nodeId,
        classType: c?.classType ?? fallback.classType,
        ...(c?.seed === undefined ? {} : { seed: c.seed + b }),
        frame: f,
        width: latent.pixelWidth,
        height: latent.pixelHeight,
        ...(c?.model ? { model: c.model } : {}),
      });
    }
  }
  return cards;
}

/** VAEDecode (and tiled variants): IMAGE batch = latent frames × batch. */
const vaeDecode: NodeHandler = async (ctx, env) => {
  const latent = firstOf(ctx, LatentValue)!;
  const vae = firstOf(ctx, VaeValue);
  await chargeVae(ctx, env, vae, latent.width, latent.height, latent.frames * latent.batch);
  const cards = cardsOf(latent, ctx);
  return { outputs: [new ImageValue(latent.pixelWidth, latent.pixelHeight, cards.length, cards, undefined, [], vae?.cost?.rgba === true)] };
};

/** VAEEncode: a LATENT of the image's size that remembers what the image showed. */
const vaeEncode: NodeHandler = async (ctx, env) => {
  const image = firstOf(ctx, ImageValue)!;
  const vae = firstOf(ctx, VaeValue);
  const cost = vaeCost(vae);
  await chargeVae(ctx, env, vae, image.width, image.height, image.batch);
  const video = cost.downscale === 16 || /wan|hunyuan/.test(cost.id);
  const frames = video ? decodedFrames(image.batch, 4) : 1;
  const batch = video ? 1 : image.batch;
  const first = image.cards[0];
  const content = first ? { text: first.text, nodeId: first.nodeId, classType: first.classType, ...(first.seed === undefined ? {} : { seed: first.seed }) } : undefined;
  return { outputs: [new LatentValue(image.width, image.height, batch, frames, cost.channels ?? 4, cost.downscale ?? 8, content)] };
};

export const latentHandlers: Record<string, NodeHandler> = {
  EmptyLatentImage: emptyLatent,
  EmptySD3LatentImage: emptyLatent,
  EmptyHunyuanLatentVideo: emptyLatent,
  EmptyHunyuanImageLatent: emptyLatent,
  EmptyMochiLatentVideo: emptyLatent,
  EmptyLTXVLatentVideo: emptyLatent,
  EmptyCosmosLatentVideo: emptyLatent,
  EmptyQwenImageLayeredLatentImage: emptyLatent,
  EmptyHunyuanVideo15Latent: emptyLatent,
  WanImageToVideo: emptyLatent,
  WanFirstLastFrameToVideo: emptyLatent,
  WanFunInpaintToVideo: emptyLatent,
  WanFunControlToVideo: emptyLatent,
  WanVaceToVideo: emptyLatent,
  Wan22ImageToVideoLatent: emptyLatent,
  Wan22FunControlToVideo: emptyLatent,
  HunyuanImageToVideo: emptyLatent,
  HunyuanVideo15ImageToVideo: emptyLatent,
  SVD_img2vid_Conditioning: emptyLatent,
  LatentUpscale: latentUpscale,
  LatentUpscaleBy: latentUpscale,
  HunyuanVideo15LatentUpscaleWithModel: latentUpscale,
  VAEDecode: vaeDecode,
  VAEDecodeTiled: vaeDecode,
  VAEDecodeHunyuan3D: vaeDecode,
  VAEEncode: vaeEncode,
  VAEEncodeTiled: vaeEncode,
  VAEEncodeForInpaint: vaeEncode,
};
