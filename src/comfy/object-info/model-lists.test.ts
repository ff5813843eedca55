import { describe, expect, it } from 'vitest';
import { validatePrompt } from '../validation/validate-prompt.js';
import { defaultObjectInfo } from './load.js';
import { applyModelLists, modelInputFolder, modelInputsOf } from './model-lists.js';

const info = defaultObjectInfo();

describe('modelInputFolder', () => {
  it.each([
    ['CheckpointLoaderSimple', 'ckpt_name', 'checkpoints'],
    ['CheckpointLoader', 'config_name', 'configs'],
    ['LoraLoaderModelOnly', 'lora_name', 'loras'],
    ['VAELoader', 'vae_name', 'vae'],
    ['UNETLoader', 'unet_name', 'diffusion_models'],
    ['QuadrupleCLIPLoader', 'clip_name4', 'text_encoders'],
    ['CLIPVisionLoader', 'clip_name', 'clip_vision'],
    ['DiffControlNetLoader', 'control_net_name', 'controlnet'],
    ['UpscaleModelLoader', 'model_name', 'upscale_models'],
    ['ModelPatchLoader', 'name', 'model_patches'],
    ['AudioEncoderLoader', 'audio_encoder_name', 'audio_encoders'],
    ['PhotoMakerLoader', 'photomaker_model_name', 'photomaker'],
    ['SomeCustomLoader', 'lora_name', 'loras'],
  ])('%s.%s → %s', (cls, input, folder) => expect(modelInputFolder(cls, input)).toBe(folder));

  it('knows what is not a model input', () => {
    expect(modelInputFolder('KSampler', 'sampler_name')).toBeUndefined();
    expect(modelInputFolder('UpscaleModelLoader', 'other')).toBeUndefined();
    expect(modelInputFolder('RIFE VFI', 'ckpt_name')).toBeUndefined();
    expect(modelInputFolder('Custom', 'ckpt_name', { ...info.KSampler!, input: { required: { ckpt_name: ['STRING'] } } })).toBeUndefined();
  });

  it('covers every loader combo of the 0.3.64 snapshot that lists no files on the recording server', () => {
    const ignore = new Set(['LoadLatent.latent', 'LoadAudio.audio', 'LoadVideo.file', 'Load3D.model_file', 'Load3DAnimation.model_file',
      'LoadImageSetFromFolderNode.folder', 'LoadImageTextSetFromFolderNode.folder']);
    for (const [cls, def] of Object.entries(info)) {
      for (const [name, spec] of Object.entries({ ...def.input.required, ...def.input.optional })) {
        const options = Array.isArray(spec[0]) ? spec[0] : spec[0] === 'COMBO' ? spec[1]?.options : undefined;
        if (options?.length === 0 && !ignore.has(`${cls}.${name}`)) expect(modelInputFolder(cls, name, def), `${cls}.${name}`).toBeDefined();
      }
    }
  });
});

describe('applyModelLists', () => {
  const models = { checkpoints: ['a.safetensors', 'b.safetensors'], text_encoders: ['t5.safetensors'], vae_approx: ['taesd_encoder.pth', 'taesd_decoder.pth'] };
  const applied = applyModelLists(info, models);

  it('rewrites V1 lists and V3 COMBO options without touching the original', () => {
    expect(applied.CheckpointLoaderSimple!.input.required!.ckpt_name![0]).toEqual(['a.safetensors', 'b.safetensors']);
    expect(applied.CheckpointLoaderSimple!.input.required!.ckpt_name![1]).toEqual(info.CheckpointLoaderSimple!.input.required!.ckpt_name![1]);
    expect(applied.TripleCLIPLoader!.input.required!.clip_name1![1]!.options).toEqual(['t5.safetensors']);
    expect(applied.VAELoader!.input.required!.vae_name![0]).toEqual(['taesd', 'pixel_space']);
    expect(applied.LoraLoader!.input.required!.lora_name![0]).toEqual([]);
    expect(info.CheckpointLoaderSimple!.input.required!.ckpt_name![0]).toEqual([]);
    expect(applied.KSampler).toBe(info.KSampler);
  });

  it('makes validation answer value_not_in_list for a file the worker lacks', () => {
    const graph = {
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'nope.safetensors' } },
      '9': { class_type: 'PreviewAny', inputs: { source: ['4', 0] } },
    };
    const outcome = validatePrompt(graph, applied);
    expect(outcome.ok).toBe(false);
    expect(outcome.nodeErrors['4']!.errors[0]!.details).toBe("ckpt_name: 'nope.safetensors' not in ['a.safetensors', 'b.safetensors']");
    graph['4'].inputs.ckpt_name = 'b.safetensors';
    expect(validatePrompt(graph, applied).ok).toBe(true);
  });
});

describe('modelInputsOf', () => {
  it('lists the model files a graph names, skipping links and built-in VAE choices', () => {
    const graph = {
      '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } },
      '2': { class_type: 'LoraLoader', inputs: { model: ['1', 0], clip: ['1', 1], lora_name: { __value__: 'style.safetensors' }, strength_model: 1, strength_clip: 1 } },
      '3': { class_type: 'VAELoader', inputs: { vae_name: 'pixel_space' } },
      '4': { class_type: 'DualCLIPLoader', inputs: { clip_name1: 'a.safetensors', clip_name2: ['9', 0], type: 'flux' } },
    };
    expect(modelInputsOf(graph as never, info)).toEqual([
      { nodeId: '1', classType: 'CheckpointLoaderSimple', input: 'ckpt_name', folder: 'checkpoints', file: 'sd15.safetensors' },
      { nodeId: '2', classType: 'LoraLoader', input: 'lora_name', folder: 'loras', file: 'style.safetensors' },
      { nodeId: '4', classType: 'DualCLIPLoader', input: 'clip_name1', folder: 'text_encoders', file: 'a.safetensors' },
    ]);
  });
});
