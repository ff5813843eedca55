/**
 * What each model file costs on the reference GPU (RTX 4090): weight bytes, the time of one
 * model pass per sampling step at a reference workload, and the activation memory of that
 * pass. Rows are matched by file-name pattern, most specific first; unknown files get a guess
 * from the size tokens in their name ("14b", "fp8"...). Numbers come from the template notes
 * and docs collected in workflow-templates.md §11 and public benchmarks; they aim at the
 * right order of magnitude and the right ratios, not at the millisecond.
 *
 * Memory agrees with the model catalogue (test/catalog-templates/vram-consistency.test.ts): a
 * diffusion row weighs what its catalogue variant does, and its `activationBytes` is at most the
 * catalogue working set minus the fixed 1 GB (FIXED_WORKING_SET_BYTES), the part that grows with
 * the workload. Above that, preflight would accept runs the emulator fails.
 */
export type ModelKind = 'diffusion' | 'text-encoder' | 'vae' | 'clip-vision' | 'lora' | 'controlnet' | 'upscaler' | 'interpolator';

export interface ModelCost {
  /** Row id, e.g. `wan22-14b-fp8`. */
  id: string;
  /** Family shown on cards and used for latent shapes: `wan22-14b`, `sdxl`, ... */
  family: string;
  kind: ModelKind;
  weightsBytes: number;
  /** One model pass (cfg 1) per step at the reference workload, in ms on an RTX 4090. */
  stepMs: number;
  /** Reference workload: width × height × frames. */
  refPixels: number;
  refFrames: number;
  /** Activation memory of one pass at the reference workload; scales with pixels × frames. */
  activationBytes: number;
  /** Time grows as (work / refWork)^exponent (attention makes video super-linear). */
  exponent: number;
  /** VAE only: decode/encode time per megapixel-frame in ms. */
  msPerMegapixel?: number;
  /** VAE only: spatial downscale and latent channels. */
  downscale?: number;
  channels?: number;
  /** VAE only: decodes RGBA images (the Qwen-Image-Layered VAE). */
  rgba?: boolean;
}

const GB = 1e9;
const MB = 1e6;

interface Row extends Partial<ModelCost> {
  id: string;
  family: string;
  kind: ModelKind;
  weightsBytes: number;
  pattern: RegExp;
}

const img = (w: number, h: number) => ({ refPixels: w * h, refFrames: 1 });

/** Ordered: the first pattern that matches the lower-cased file name wins. */
const ROWS: Row[] = [
  // VAEs first: their names often contain a family name too.
  { pattern: /wan2\.?2.*vae|wan22.*vae/, id: 'wan22-vae', family: 'wan22-5b', kind: 'vae', weightsBytes: 1.41 * GB, msPerMegapixel: 220, downscale: 16, channels: 48 },
  { pattern: /wan.*vae/, id: 'wan21-vae', family: 'wan21', kind: 'vae', weightsBytes: 254 * MB, msPerMegapixel: 600, downscale: 8, channels: 16 },
  { pattern: /hunyuanvideo1\.?5.*vae|hunyuanvideo15.*vae/, id: 'hunyuan15-vae', family: 'hunyuan15', kind: 'vae', weightsBytes: 500 * MB, msPerMegapixel: 500, downscale: 16, channels: 32 },
  { pattern: /hunyuan.*vae/, id: 'hunyuan-vae', family: 'hunyuan', kind: 'vae', weightsBytes: 493 * MB, msPerMegapixel: 650, downscale: 8, channels: 16 },
  { pattern: /qwen.*layered.*vae/, id: 'qwen-image-layered-vae', family: 'qwen-image', kind: 'vae', weightsBytes: 254 * MB, msPerMegapixel: 200, downscale: 8, channels: 16, rgba: true },
  { pattern: /qwen.*vae/, id: 'qwen-image-vae', family: 'qwen-image', kind: 'vae', weightsBytes: 254 * MB, msPerMegapixel: 200, downscale: 8, channels: 16 },
  { pattern: /^ae\.|flux.*vae/, id: 'flux-vae', family: 'flux', kind: 'vae', weightsBytes: 335 * MB, msPerMegapixel: 150, downscale: 8, channels: 16 },
  { pattern: /vae/, id: 'sd-vae', family: 'sd', kind: 'vae', weightsBytes: 335 * MB, msPerMegapixel: 140, downscale: 8, channels: 4 },

  // LoRAs (patches; weights stay in RAM and are merged into the model).
  { pattern: /lightx2v|lightning|4steps?|distill.*lora|lora.*distill/, id: 'lora-distill', family: 'lora', kind: 'lora', weightsBytes: 1.2 * GB },
  { pattern: /lora/, id: 'lora', family: 'lora', kind: 'lora', weightsBytes: 150 * MB },

  // Wan
  { pattern: /wan2\.?[12].*(14b|a14b).*(fp8|e4m3|e5m2)/, id: 'wan-14b-fp8', family: 'wan22-14b', kind: 'diffusion', weightsBytes: 14.3 * GB, stepMs: 12_000, ...{ refPixels: 640 * 640, refFrames: 81 }, activationBytes: 4 * GB, exponent: 1.3 },
  { pattern: /wan2\.?[12].*(14b|a14b)/, id: 'wan-14b-fp16', family: 'wan22-14b', kind: 'diffusion', weightsBytes: 28.6 * GB, stepMs: 12_500, ...{ refPixels: 640 * 640, refFrames: 81 }, activationBytes: 4 * GB, exponent: 1.3 },
  { pattern: /wan2\.?2.*5b/, id: 'wan22-5b', family: 'wan22-5b', kind: 'diffusion', weightsBytes: 10 * GB, stepMs: 13_500, ...{ refPixels: 1280 * 704, refFrames: 121 }, activationBytes: 3 * GB, exponent: 1.3 },
  { pattern: /wan2\.?1.*1\.3b/, id: 'wan21-1.3b', family: 'wan21-1.3b', kind: 'diffusion', weightsBytes: 2.84 * GB, stepMs: 2_500, ...{ refPixels: 832 * 480, refFrames: 81 }, activationBytes: 2.5 * GB, exponent: 1.3 },
  { pattern: /umt5.*(fp8|e4m3)/, id: 'umt5-xxl-fp8', family: 'umt5', kind: 'text-encoder', weightsBytes: 6.74 * GB, stepMs: 250 },
  { pattern: /umt5/, id: 'umt5-xxl-fp16', family: 'umt5', kind: 'text-encoder', weightsBytes: 11.4 * GB, stepMs: 300 },

  // HunyuanVideo
  { pattern: /hunyuanvideo1\.?5|hunyuanvideo15|hunyuan_video_1\.5/, id: 'hunyuan15', family: 'hunyuan15', kind: 'diffusion', weightsBytes: 16.7 * GB, stepMs: 12_000, ...{ refPixels: 1280 * 720, refFrames: 121 }, activationBytes: 5 * GB, exponent: 1.3 },
  { pattern: /hunyuan.*(fp8|e4m3)/, id: 'hunyuan-fp8', family: 'hunyuan', kind: 'diffusion', weightsBytes: 12.8 * GB, stepMs: 60_000, ...{ refPixels: 1280 * 720, refFrames: 129 }, activationBytes: 8 * GB, exponent: 1.3 },
  { pattern: /hunyuan/, id: 'hunyuan-bf16', family: 'hunyuan', kind: 'diffusion', weightsBytes: 25.6 * GB, stepMs: 60_000, ...{ refPixels: 1280 * 720, refFrames: 129 }, activationBytes: 8 * GB, exponent: 1.3 },
  { pattern: /llava_llama3.*(fp8|e4m3)/, id: 'llava-llama3-fp8', family: 'llava-llama3', kind: 'text-encoder', weightsBytes: 9.09 * GB, stepMs: 400 },
  { pattern: /llava_llama3/, id: 'llava-llama3-fp16', family: 'llava-llama3', kind: 'text-encoder', weightsBytes: 16.1 * GB, stepMs: 450 },
  { pattern: /qwen_2\.5_vl.*(fp8|e4m3)/, id: 'qwen25-vl-fp8', family: 'qwen25-vl', kind: 'text-encoder', weightsBytes: 9.38 * GB, stepMs: 400 },
  { pattern: /qwen_2\.5_vl/, id: 'qwen25-vl-fp16', family: 'qwen25-vl', kind: 'text-encoder', weightsBytes: 16.6 * GB, stepMs: 450 },

  // Qwen-Image
  { pattern: /qwen_image.*(fp8|e4m3)/, id: 'qwen-image-fp8', family: 'qwen-image', kind: 'diffusion', weightsBytes: 20.4 * GB, stepMs: 1_800, ...img(1328, 1328), activationBytes: 2 * GB, exponent: 1.15 },
  { pattern: /qwen_image/, id: 'qwen-image-bf16', family: 'qwen-image', kind: 'diffusion', weightsBytes: 40.9 * GB, stepMs: 1_800, ...img(1328, 1328), activationBytes: 2 * GB, exponent: 1.15 },

  // NewBie-image Exp0.1
  { pattern: /newbie/, id: 'newbie', family: 'newbie', kind: 'diffusion', weightsBytes: 7 * GB, stepMs: 350, ...img(1024, 1024), activationBytes: 1.5 * GB, exponent: 1.1 },
  { pattern: /gemma/, id: 'gemma3-4b', family: 'gemma3', kind: 'text-encoder', weightsBytes: 8.6 * GB, stepMs: 200 },
  { pattern: /jina/, id: 'jina-clip-v2', family: 'jina-clip', kind: 'text-encoder', weightsBytes: 1.7 * GB, stepMs: 60 },

  // Flux (common enough to price)
  { pattern: /flux.*(fp8|e4m3)/, id: 'flux-fp8', family: 'flux', kind: 'diffusion', weightsBytes: 11.9 * GB, stepMs: 800, ...img(1024, 1024), activationBytes: 2 * GB, exponent: 1.15 },
  { pattern: /flux/, id: 'flux', family: 'flux', kind: 'diffusion', weightsBytes: 23.8 * GB, stepMs: 800, ...img(1024, 1024), activationBytes: 2 * GB, exponent: 1.15 },
  { pattern: /t5xxl.*(fp8|e4m3)/, id: 't5xxl-fp8', family: 't5', kind: 'text-encoder', weightsBytes: 4.89 * GB, stepMs: 120 },
  { pattern: /t5xxl/, id: 't5xxl-fp16', family: 't5', kind: 'text-encoder', weightsBytes: 9.79 * GB, stepMs: 150 },

  // Stable Diffusion
  { pattern: /svd/, id: 'svd', family: 'svd', kind: 'diffusion', weightsBytes: 9.56 * GB, stepMs: 600, ...{ refPixels: 1024 * 576, refFrames: 25 }, activationBytes: 3 * GB, exponent: 1.1 },
  { pattern: /turbo/, id: 'sdxl-turbo', family: 'sdxl-turbo', kind: 'diffusion', weightsBytes: 6.94 * GB, stepMs: 25, ...img(512, 512), activationBytes: 0.6 * GB, exponent: 1.1 },
  { pattern: /sd_xl|sdxl|xl_base|xl_refiner/, id: 'sdxl', family: 'sdxl', kind: 'diffusion', weightsBytes: 6.94 * GB, stepMs: 65, ...img(1024, 1024), activationBytes: 1.5 * GB, exponent: 1.1 },
  { pattern: /(v1-5|sd15|sd_1\.5|sd-v1|v1\.5).*fp16/, id: 'sd15-fp16', family: 'sd15', kind: 'diffusion', weightsBytes: 2.13 * GB, stepMs: 17, ...img(512, 512), activationBytes: 0.5 * GB, exponent: 1.1 },
  { pattern: /v1-5|sd15|sd_1\.5|sd-v1|v1\.5|dreamshaper|realistic/, id: 'sd15', family: 'sd15', kind: 'diffusion', weightsBytes: 4.27 * GB, stepMs: 17, ...img(512, 512), activationBytes: 0.5 * GB, exponent: 1.1 },

  // Encoders, adapters, post-processing
  { pattern: /clip_vision_g/, id: 'clip-vision-g', family: 'clip-vision', kind: 'clip-vision', weightsBytes: 3.69 * GB, stepMs: 40 },
  { pattern: /clip_vision|sigclip|clip-vit/, id: 'clip-vision-h', family: 'clip-vision', kind: 'clip-vision', weightsBytes: 1.26 * GB, stepMs: 30 },
  { pattern: /clip_g/, id: 'clip-g', family: 'clip', kind: 'text-encoder', weightsBytes: 1.39 * GB, stepMs: 20 },
  { pattern: /clip_l|clip/, id: 'clip-l', family: 'clip', kind: 'text-encoder', weightsBytes: 246 * MB, stepMs: 10 },
  { pattern: /control.*(sdxl|xl)|(sdxl|xl).*control/, id: 'controlnet-sdxl', family: 'controlnet', kind: 'controlnet', weightsBytes: 2.5 * GB, stepMs: 30, ...img(1024, 1024), activationBytes: 0.4 * GB, exponent: 1 },
  { pattern: /control|t2i|adapter/, id: 'controlnet', family: 'controlnet', kind: 'controlnet', weightsBytes: 1.45 * GB, stepMs: 8, ...img(512, 512), activationBytes: 0.2 * GB, exponent: 1 },
  { pattern: /rife|film/, id: 'rife', family: 'rife', kind: 'interpolator', weightsBytes: 21 * MB, stepMs: 12, ...img(1280, 720), activationBytes: 0.3 * GB, exponent: 1 },
  { pattern: /esrgan|ultrasharp|swinir|upscal|^\d+x|_x\d/, id: 'upscaler', family: 'esrgan', kind: 'upscaler', weightsBytes: 67 * MB, stepMs: 120, ...img(512, 512), activationBytes: 1 * GB, exponent: 1 },
];

const DEFAULTS: Record<ModelKind, Omit<ModelCost, 'id' | 'family' | 'kind'>> = {
  diffusion: { weightsBytes: 5 * GB, stepMs: 100, refPixels: 1024 * 1024, refFrames: 1, activationBytes: 1.5 * GB, exponent: 1.1 },
  'text-encoder': { weightsBytes: 1 * GB, stepMs: 50, refPixels: 1, refFrames: 1, activationBytes: 0, exponent: 1 },
  vae: { weightsBytes: 335 * MB, stepMs: 0, refPixels: 1, refFrames: 1, activationBytes: 0, exponent: 1, msPerMegapixel: 150, downscale: 8, channels: 4 },
  'clip-vision': { weightsBytes: 1.26 * GB, stepMs: 30, refPixels: 1, refFrames: 1, activationBytes: 0, exponent: 1 },
  lora: { weightsBytes: 150 * MB, stepMs: 0, refPixels: 1, refFrames: 1, activationBytes: 0, exponent: 1 },
  controlnet: { weightsBytes: 1.45 * GB, stepMs: 8, refPixels: 512 * 512, refFrames: 1, activationBytes: 0.2 * GB, exponent: 1 },
  upscaler: { weightsBytes: 67 * MB, stepMs: 120, refPixels: 512 * 512, refFrames: 1, activationBytes: 1 * GB, exponent: 1 },
  interpolator: { weightsBytes: 21 * MB, stepMs: 12, refPixels: 1280 * 720, refFrames: 1, activationBytes: 0.3 * GB, exponent: 1 },
};

/** A guess for files no row knows: "xxx_14B_fp8.safetensors" weighs about 14 GB. */
function guessBytes(name: string, kind: ModelKind): number {
  const params = /(\d+(?:\.\d+)?)b(?![a-z])/.exec(name);
  if (!params) return DEFAULTS[kind].weightsBytes;
  const bytesPerParam = /fp8|e4m3|e5m2|q8/.test(name) ? 1 : /q4|nf4|int4/.test(name) ? 0.55 : 2;
  return Number(params[1]) * GB * bytesPerParam;
}

/**
 * The cost row of a model file. `kind` is what the loader says it loads (a VAELoader file is
 * a VAE whatever its name), used when no row matches or a row of another kind matches.
 *
 * @example modelCost('wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', 'diffusion').weightsBytes // 14.3e9
 */
export function modelCost(file: string, kind: ModelKind): ModelCost {
  const name = (file.split(/[\\/]/).pop() ?? file).toLowerCase();
  const row = ROWS.find((r) => r.kind === kind && r.pattern.test(name));
  const base = DEFAULTS[kind];
  if (!row) {
    return { id: `guess-${kind}`, family: familyGuess(name), kind, ...base, weightsBytes: guessBytes(name, kind) };
  }
  const { pattern: _pattern, ...fields } = row;
  return { ...base, ...fields };
}

function familyGuess(name: string): string {
  return name.replace(/\.(safetensors|ckpt|pt|pth|bin|gguf|sft)$/, '');
}

/** Weight bytes after a loader's `weight_dtype` (fp8 halves 16-bit weights). */
export function weightsWithDtype(cost: ModelCost, weightDtype: string | undefined): number {
  if (!weightDtype || weightDtype === 'default' || /fp8|e4m3|e5m2/.test(cost.id)) return cost.weightsBytes;
  return /fp8/.test(weightDtype) ? cost.weightsBytes / 2 : cost.weightsBytes;
}
