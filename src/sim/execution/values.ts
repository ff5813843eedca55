import type { ModelRef } from '../cost/gpu-state.js';
import type { ModelCost } from '../../catalog/cost/model-costs.js';
import type { Pixels } from './pixels/pixels.js';
import { tensorRepr } from './tensor-repr.js';

/**
 * Values that flow between emulated nodes. Each carries the shape a real tensor or object
 * would have and its lineage (which prompt text, seed and node produced it), so that save
 * nodes can draw storyboard cards and samplers can price their work. `toString()` mimics
 * Python's `str()` of the real object, which ComfyUI puts in `execution_error.current_inputs`.
 */

/** What one frame of an IMAGE shows: the story text that reached it through the graph. */
export interface CardSpec {
  text: string;
  negative?: string;
  /** Node that produced the pixels (sampler, loader, EmptyImage...). */
  nodeId: string;
  classType: string;
  seed?: number;
  /** Frame index within its clip (0-based). */
  frame: number;
  width: number;
  height: number;
  /** Model family that "painted" it, e.g. `wan22-14b`. */
  model?: string;
}

/**
 * Real pixels an IMAGE can be computed from: a solid colour, a file (LoadImage), or the float
 * tensor an image node computed (`pixels`, [B,H,W,C] exactly as ComfyUI would hold it).
 */
export type PixelSource = { kind: 'fill'; rgb: [number, number, number] } | { kind: 'file'; path: string } | { kind: 'pixels'; pixels: Pixels };

/** A cheap pixel operation applied after the source, in order. */
export type PixelOp =
  | { op: 'scale'; width: number; height: number }
  | { op: 'invert' }
  | { op: 'blur'; radius: number; sigma: number };

/** Fake, stable memory address for `<object at 0x...>` reprs. */
function address(seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return `0x7f${h.toString(16).padStart(8, '0')}`;
}

function objectRepr(pythonClass: string, seed: string): string {
  return `<${pythonClass} object at ${address(seed)}>`;
}

export class ImageValue {
  readonly type = 'IMAGE';
  constructor(
    readonly width: number,
    readonly height: number,
    readonly batch: number,
    readonly cards: CardSpec[],
    readonly source?: PixelSource,
    readonly ops: PixelOp[] = [],
    /** RGBA (JoinImageWithAlpha, a layered VAE's decode): savers that can keep alpha write it. */
    readonly alpha: boolean = false,
  ) {}

  /** Same content at another size; cards are re-sized too. */
  withOp(op: PixelOp): ImageValue {
    const w = op.op === 'scale' ? op.width : this.width;
    const h = op.op === 'scale' ? op.height : this.height;
    return new ImageValue(w, h, this.batch, this.cards.map((c) => ({ ...c, width: w, height: h })), this.source, [...this.ops, op], this.alpha);
  }

  withAlpha(): ImageValue {
    return new ImageValue(this.width, this.height, this.batch, this.cards, this.source, this.ops, true);
  }

  /** The computed tensor, when this image is exactly one (no pending ops). */
  get pixels(): Pixels | undefined {
    return this.source?.kind === 'pixels' && this.ops.length === 0 ? this.source.pixels : undefined;
  }

  /** An IMAGE whose values are known: `p` is [B,H,W,C] with C = 3, or 4 for RGBA. */
  static ofPixels(p: Pixels, cards: CardSpec[]): ImageValue {
    const sized = cards.map((c) => ({ ...c, width: p.width, height: p.height }));
    return new ImageValue(p.width, p.height, p.batch, sized, { kind: 'pixels', pixels: p }, [], p.channels === 4);
  }

  toString(): string {
    const known = this.pixels;
    if (known) return tensorRepr([known.batch, known.height, known.width, known.channels], (i) => known.data[((i[0]! * known.height + i[1]!) * known.width + i[2]!) * known.channels + i[3]!]!);
    const fill = this.source?.kind === 'fill' && this.ops.every((o) => o.op !== 'blur') ? effectiveFill(this) : undefined;
    return tensorRepr([this.batch, this.height, this.width, this.alpha ? 4 : 3], fill ? (i) => fill[i[3]!] ?? 1 : undefined);
  }
}

/** Colour of a solid image after its ops (scale keeps it, invert flips it). */
export function effectiveFill(image: ImageValue): [number, number, number] | undefined {
  if (image.source?.kind !== 'fill') return undefined;
  let rgb = image.source.rgb;
  for (const op of image.ops) if (op.op === 'invert') rgb = [1 - rgb[0], 1 - rgb[1], 1 - rgb[2]];
  return rgb;
}

export class MaskValue {
  readonly type = 'MASK';
  constructor(
    readonly width: number,
    readonly height: number,
    readonly batch: number,
    readonly fill?: number,
    /** The computed values, [B,H,W] (channels 1), when known. */
    readonly pixels?: Pixels,
  ) {}

  static ofPixels(p: Pixels): MaskValue {
    return new MaskValue(p.width, p.height, p.batch, undefined, p);
  }

  toString(): string {
    const known = this.pixels;
    if (known) return tensorRepr([known.batch, known.height, known.width], (i) => known.data[(i[0]! * known.height + i[1]!) * known.width + i[2]!]!);
    return tensorRepr([this.batch, this.height, this.width], this.fill === undefined ? undefined : () => this.fill!);
  }
}

/** What a sampler "painted" into a latent; VAEDecode turns it into cards. */
export interface LatentContent {
  text: string;
  negative?: string;
  seed?: number;
  nodeId: string;
  classType: string;
  model?: string;
}

export class LatentValue {
  readonly type = 'LATENT';
  constructor(
    readonly width: number,
    readonly height: number,
    readonly batch: number,
    /** Pixel frames the latent decodes to (1 for images; `length` rounded to the VAE's 4n+1 for video). */
    readonly frames: number,
    readonly channels: number,
    /** Spatial downscale of the VAE (8 for most, 16 for Wan 2.2 5B). */
    readonly downscale: number = 8,
    readonly content?: LatentContent,
    /** Steps already denoised; a two-pass split carries it from the first sampler to the second. */
    readonly stepsDone: number = 0,
  ) {}

  get temporal(): number {
    return this.frames > 1 ? Math.floor((this.frames - 1) / 4) + 1 : 1;
  }

  /**
   * The size a VAE decodes this latent to: the latent holds width // downscale columns, so a
   * 500-wide EmptyLatentImage decodes to 496 pixels, as in ComfyUI.
   */
  get pixelWidth(): number {
    return Math.max(1, Math.floor(this.width / this.downscale)) * this.downscale;
  }

  get pixelHeight(): number {
    return Math.max(1, Math.floor(this.height / this.downscale)) * this.downscale;
  }

  with(changes: Partial<Pick<LatentValue, 'width' | 'height' | 'batch' | 'content' | 'stepsDone'>>): LatentValue {
    return new LatentValue(
      changes.width ?? this.width,
      changes.height ?? this.height,
      changes.batch ?? this.batch,
      this.frames,
      this.channels,
      this.downscale,
      'content' in changes ? changes.content : this.content,
      changes.stepsDone ?? this.stepsDone,
    );
  }

  toString(): string {
    const h = Math.max(1, Math.floor(this.height / this.downscale));
    const w = Math.max(1, Math.floor(this.width / this.downscale));
    const shape = this.frames > 1 ? [this.batch, this.channels, this.temporal, h, w] : [this.batch, this.channels, h, w];
    const samples = tensorRepr(shape, this.content ? undefined : () => 0);
    return `{'samples': ${samples}}`;
  }
}

/** A diffusion model plus the patches (LoRAs, sampling shifts) applied on the way. */
export class ModelValue {
  readonly type = 'MODEL';
  constructor(
    readonly file: string,
    readonly family: string,
    readonly patches: string[] = [],
    readonly nodeId: string = '',
    /** Residency key and weight bytes in the GPU cost model. */
    readonly ref: ModelRef = { key: file, bytes: 0 },
  ) {}
  withPatch(patch: string): ModelValue {
    return new ModelValue(this.file, this.family, [...this.patches, patch], this.nodeId, this.ref);
  }
  toString(): string {
    return objectRepr('comfy.model_patcher.ModelPatcher', `${this.nodeId}:${this.file}:${this.patches.join(',')}`);
  }
}

export class ClipValue {
  readonly type = 'CLIP';
  constructor(readonly refs: ModelRef[], readonly patches: string[] = [], readonly nodeId: string = '') {}
  withPatch(patch: string): ClipValue {
    return new ClipValue(this.refs, [...this.patches, patch], this.nodeId);
  }
  toString(): string {
    return objectRepr('comfy.sd.CLIP', `${this.nodeId}:${this.refs.map((r) => r.key).join(',')}`);
  }
}

export class VaeValue {
  readonly type = 'VAE';
  constructor(
    readonly file: string,
    readonly nodeId: string = '',
    readonly ref: ModelRef = { key: file, bytes: 0 },
    /** Row of the cost table (decode speed, downscale, latent channels). */
    readonly cost?: ModelCost,
  ) {}
  toString(): string {
    return objectRepr('comfy.sd.VAE', `${this.nodeId}:${this.file}`);
  }
}

export class ConditioningValue {
  readonly type = 'CONDITIONING';
  constructor(readonly text: string, readonly negative?: string, readonly nodeId: string = '') {}
  toString(): string {
    const cond = tensorRepr([1, 77, 768]);
    const pooled = tensorRepr([1, 768]);
    return `[[${cond}, {'pooled_output': ${pooled}}]]`;
  }
}

export class VideoValue {
  readonly type = 'VIDEO';
  constructor(
    readonly frames: number,
    readonly fps: number,
    readonly width: number,
    readonly height: number,
    readonly cards: CardSpec[],
    readonly images?: ImageValue,
  ) {}
  toString(): string {
    return objectRepr('comfy_api.latest._input_impl.video_types.VideoFromComponents', `${this.frames}:${this.fps}:${this.width}x${this.height}`);
  }
}

export class AudioValue {
  readonly type = 'AUDIO';
  constructor(readonly seconds: number, readonly sampleRate = 44100, readonly channels = 2) {}
  toString(): string {
    return `{'waveform': ${tensorRepr([1, this.channels, Math.round(this.seconds * this.sampleRate)], () => 0)}, 'sample_rate': ${this.sampleRate}}`;
  }
}

/** Sigma schedule: only its length matters (steps = sigmas - 1). */
export class SigmasValue {
  readonly type = 'SIGMAS';
  constructor(readonly steps: number) {}
  toString(): string {
    return tensorRepr([this.steps + 1]);
  }
}

/** GUIDER of SamplerCustomAdvanced: model + conditioning + cfg (cfg 1 skips the uncond pass). */
export class GuiderValue {
  readonly type = 'GUIDER';
  constructor(readonly model: ModelValue | undefined, readonly positive: ConditioningValue | undefined, readonly negative: ConditioningValue | undefined, readonly cfg: number) {}
  toString(): string {
    return objectRepr('comfy.samplers.CFGGuider', `${this.model?.file}:${this.cfg}`);
  }
}

/** A model-like object loaded from a file: CLIP_VISION, CONTROL_NET, UPSCALE_MODEL, ... */
export class LoadedFileValue {
  constructor(readonly type: string, readonly file: string, readonly nodeId: string = '', readonly ref: ModelRef = { key: file, bytes: 0 }) {}
  toString(): string {
    const pythonClass: Record<string, string> = {
      CLIP_VISION: 'comfy.clip_vision.ClipVisionModel',
      CONTROL_NET: 'comfy.controlnet.ControlNet',
      UPSCALE_MODEL: 'spandrel.__helpers.model_descriptor.ImageModelDescriptor',
      STYLE_MODEL: 'comfy.sd.StyleModel',
      GLIGEN: 'comfy.model_patcher.ModelPatcher',
    };
    return objectRepr(pythonClass[this.type] ?? `comfy.${this.type.toLowerCase()}`, `${this.nodeId}:${this.file}`);
  }
}

/** Anything else (NOISE, SAMPLER, CLIP_VISION_OUTPUT, custom types): its type and origin. */
export class HandleValue {
  constructor(readonly type: string, readonly from: { nodeId: string; classType: string }, readonly detail: Record<string, unknown> = {}) {}
  toString(): string {
    const pythonClass: Record<string, string> = {
      CLIP_VISION_OUTPUT: 'comfy.clip_vision.Output',
      NOISE: 'comfy_extras.nodes_custom_sampler.Noise_RandomNoise',
      SAMPLER: 'comfy.samplers.KSAMPLER',
    };
    return objectRepr(pythonClass[this.type] ?? `${this.from.classType}.${this.type}`, `${this.from.nodeId}:${this.type}`);
  }
}

export type SimValue =
  | ImageValue
  | MaskValue
  | LatentValue
  | ModelValue
  | ClipValue
  | VaeValue
  | ConditioningValue
  | VideoValue
  | AudioValue
  | SigmasValue
  | GuiderValue
  | LoadedFileValue
  | HandleValue;

/**
 * How a resolved input prints in `current_inputs`: primitives as themselves (ComfyUI keeps
 * int/float/str/bool/None), everything else as `str(x)`.
 */
export function formatCurrentInput(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (['string', 'number', 'boolean'].includes(typeof value)) return value;
  return String(value);
}
