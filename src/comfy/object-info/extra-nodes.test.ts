import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from './load.js';
import { parseObjectInfo } from './schema.js';
import { EXTRA_NODES_DIR, extendedObjectInfo, extraNodeDefs, extraNodeFiles, installHint, nodePackOf } from './extra-nodes.js';

/**
 * Every node class the graphs in workflow-templates.md (and the four recorded UI templates) use,
 * plus the schema-only ones it describes (HunyuanVideo 1.5 SR stage, core frame interpolation,
 * IP-Adapter loaders, ControlNet preprocessors, VHS), and the Flux 2 classes of the flux2 UI/API pair.
 */
const TEMPLATE_CLASSES = [
  'BasicGuider', 'BasicScheduler', 'CFGGuider', 'CFGNorm', 'CLIPLoader', 'CLIPTextEncode', 'CLIPVisionEncode',
  'CLIPVisionLoader', 'CheckpointLoaderSimple', 'ControlNetApplyAdvanced', 'ControlNetLoader', 'CreateVideo',
  'DualCLIPLoader', 'EmptyHunyuanLatentVideo', 'EmptyHunyuanVideo15Latent', 'EmptyLatentImage',
  'EmptyQwenImageLayeredLatentImage', 'EmptySD3LatentImage', 'FluxGuidance', 'FluxKontextImageScale', 'GetImageSize',
  'GetVideoComponents', 'HunyuanImageToVideo', 'HunyuanVideo15ImageToVideo', 'IPAdapterAdvanced', 'IPAdapterUnifiedLoader',
  'ImageCompositeMasked', 'ImageScaleToMaxDimension', 'ImageToMask', 'InvertMask', 'JoinImageWithAlpha', 'KSampler',
  'KSamplerAdvanced', 'KSamplerSelect', 'LatentCutToBatch', 'LoadImage', 'LoadVideo', 'LoraLoader', 'LoraLoaderModelOnly',
  'MaskToImage', 'ModelSamplingAuraFlow', 'ModelSamplingSD3', 'PrimitiveStringMultiline', 'RIFE VFI', 'RandomNoise',
  'RebatchImages', 'ReferenceLatent', 'RepeatImageBatch', 'SamplerCustomAdvanced', 'SaveAnimatedWEBP', 'SaveImage',
  'SaveVideo', 'SaveWEBM', 'StringReplace', 'TextEncodeHunyuanVideo_ImageToVideo', 'TextEncodeQwenImageEdit',
  'TextEncodeQwenImageEditPlus', 'TrimVideoLatent', 'UNETLoader', 'VAEDecode', 'VAEDecodeTiled', 'VAEEncode', 'VAELoader',
  'Wan22ImageToVideoLatent', 'WanImageToVideo', 'WanVaceToVideo', 'WanFunInpaintToVideo', 'ImageFromBatch', 'EasyCache',
  'PrimitiveInt', 'PrimitiveFloat', 'PrimitiveBoolean', 'ComfySwitchNode', 'ComfyMathExpression', 'DiffControlNetLoader',
  'LatentUpscaleModelLoader', 'HunyuanVideo15LatentUpscaleWithModel', 'HunyuanVideo15SuperResolution',
  'FrameInterpolationModelLoader', 'FrameInterpolate', 'IPAdapter', 'IPAdapterModelLoader', 'IPAdapterUnifiedLoaderFaceID',
  'OpenposePreprocessor', 'DepthAnythingPreprocessor', 'MiDaS-DepthMapPreprocessor', 'LineArtPreprocessor',
  'AnimeLineArtPreprocessor', 'VHS_VideoCombine', 'PreviewImage', 'EmptyFlux2LatentImage', 'Flux2Scheduler',
];

describe('extra node schemas', () => {
  it('parses every file as object_info and names a source for every class', () => {
    const jsonFiles = readdirSync(EXTRA_NODES_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.source.json'));
    expect(jsonFiles.length).toBeGreaterThanOrEqual(5);
    for (const f of jsonFiles) {
      const info = parseObjectInfo(JSON.parse(readFileSync(EXTRA_NODES_DIR + f, 'utf8')));
      for (const [cls, def] of Object.entries(info)) {
        expect(def.name, `${f}: ${cls}`).toBe(cls);
        expect(def.output.length).toBe(def.output_name.length);
        expect(def.output.length).toBe(def.output_is_list.length);
        const order = def.input_order ?? {};
        expect(order.required ?? []).toEqual(Object.keys(def.input.required ?? {}));
        expect(order.optional ?? []).toEqual(Object.keys(def.input.optional ?? {}));
      }
    }
    for (const file of extraNodeFiles()) {
      for (const cls of Object.keys(file.nodes)) expect(file.source.classes[cls]?.path, cls).toBeTruthy();
    }
  });

  it('covers every class the templates need', () => {
    const info = extendedObjectInfo();
    const missing = TEMPLATE_CLASSES.filter((c) => !info[c]);
    expect(missing).toEqual([]);
  });

  it('adds only classes the snapshot lacks, except declared replacements', () => {
    const base = defaultObjectInfo();
    for (const file of extraNodeFiles()) {
      for (const cls of Object.keys(file.nodes)) {
        if (base[cls]) expect(file.source.replaces ?? [], `${cls} overrides 0.3.64 without being declared`).toContain(cls);
      }
    }
  });

  it('replacement combos are supersets of the 0.3.64 ones and add the types templates need', () => {
    const base = defaultObjectInfo();
    const extra = extraNodeDefs();
    const types = (info: typeof base, cls: string) => info[cls]!.input.required!.type![0] as string[];
    for (const cls of ['CLIPLoader', 'DualCLIPLoader']) {
      for (const t of types(base, cls)) expect(types(extra, cls)).toContain(t);
    }
    expect(types(extra, 'DualCLIPLoader')).toEqual(expect.arrayContaining(['hunyuan_video', 'hunyuan_video_15', 'newbie']));
    expect(types(extra, 'CLIPLoader')).toEqual(expect.arrayContaining(['wan', 'qwen_image', 'flux2']));
  });

  it('transcribes key defaults from the sources', () => {
    const info = extendedObjectInfo();
    const rife = info['RIFE VFI']!.input.required!;
    expect(rife.ckpt_name![1]).toEqual({ default: 'rife49.pth' });
    expect(rife.ckpt_name![0]).toContain('rife426.pth');
    expect(info.EmptyQwenImageLayeredLatentImage!.input.required!.layers![1]).toMatchObject({ default: 3, min: 0 });
    expect(info.HunyuanVideo15ImageToVideo!.output_name).toEqual(['positive', 'negative', 'latent']);
    expect(info.LatentCutToBatch!.input.required!.dim![1]).toMatchObject({ options: ['t', 'x', 'y'] });
    expect(info.EmptyFlux2LatentImage!.input_order!.required).toEqual(['width', 'height', 'batch_size']);
    expect(info.EmptyFlux2LatentImage!.input.required!.width![1]).toMatchObject({ default: 1024, min: 16, step: 16 });
    expect(info.Flux2Scheduler!.input_order!.required).toEqual(['steps', 'width', 'height']);
    expect(info.Flux2Scheduler!.input.required!.width![1]).toMatchObject({ default: 1024, min: 16, step: 1 });
    expect(info.Flux2Scheduler!.output).toEqual(['SIGMAS']);
  });

  it('says which pack provides a class', () => {
    expect(nodePackOf('RIFE VFI')).toMatchObject({ pack: 'ComfyUI-Frame-Interpolation', repository: 'https://github.com/Fannovel16/ComfyUI-Frame-Interpolation' });
    expect(nodePackOf('IPAdapterAdvanced')?.pack).toBe('ComfyUI_IPAdapter_plus');
    expect(nodePackOf('KSampler')).toMatchObject({ pack: 'core', commit: 'a125cd84b054a57729b5eecab930ca9408719832' });
    expect(nodePackOf('LatentCutToBatch')).toMatchObject({ pack: 'core', commit: 'f35df50186a06cbfe77ced0cb7de0216d9da5df2' });
    expect(nodePackOf('NoSuchNode')).toBeUndefined();
    expect(installHint('RIFE VFI')).toBe('install ComfyUI-Frame-Interpolation (https://github.com/Fannovel16/ComfyUI-Frame-Interpolation)');
    expect(installHint('KSampler')).toBeUndefined();
    expect(installHint('EmptyHunyuanVideo15Latent')).toMatch(/^update ComfyUI/);
  });

  it('overlays without mutating the snapshot', () => {
    expect(defaultObjectInfo().LatentCutToBatch).toBeUndefined();
    expect(extendedObjectInfo()).toBe(extendedObjectInfo());
    expect(extendedObjectInfo().KSampler).toBe(defaultObjectInfo().KSampler);
  });
});
