import type { ApiGraph } from '../graph.js';
import type { InputSpec, NodeDef, ObjectInfo } from './types.js';

/**
 * Which ComfyUI model folder (`GET /models/<folder>` key) a loader input lists, taken from the
 * `folder_paths.get_filename_list(...)` call in each node's INPUT_TYPES (0.3.64 core, plus the
 * newer core and custom-pack nodes in assets/comfyui/nodes).
 */
const NODE_FOLDERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CheckpointLoader: { config_name: 'configs', ckpt_name: 'checkpoints' },
  CheckpointLoaderSimple: { ckpt_name: 'checkpoints' },
  unCLIPCheckpointLoader: { ckpt_name: 'checkpoints' },
  ImageOnlyCheckpointLoader: { ckpt_name: 'checkpoints' },
  CreateHookModelAsLora: { ckpt_name: 'checkpoints' },
  CreateHookModelAsLoraModelOnly: { ckpt_name: 'checkpoints' },
  DiffusersLoader: { model_path: 'diffusers' },
  LoraLoader: { lora_name: 'loras' },
  LoraLoaderModelOnly: { lora_name: 'loras' },
  CreateHookLora: { lora_name: 'loras' },
  CreateHookLoraModelOnly: { lora_name: 'loras' },
  TrainLoraNode: { existing_lora: 'loras' },
  VAELoader: { vae_name: 'vae' },
  UNETLoader: { unet_name: 'diffusion_models' },
  CLIPLoader: { clip_name: 'text_encoders' },
  DualCLIPLoader: { clip_name1: 'text_encoders', clip_name2: 'text_encoders' },
  TripleCLIPLoader: { clip_name1: 'text_encoders', clip_name2: 'text_encoders', clip_name3: 'text_encoders' },
  QuadrupleCLIPLoader: {
    clip_name1: 'text_encoders',
    clip_name2: 'text_encoders',
    clip_name3: 'text_encoders',
    clip_name4: 'text_encoders',
  },
  CLIPVisionLoader: { clip_name: 'clip_vision' },
  ControlNetLoader: { control_net_name: 'controlnet' },
  DiffControlNetLoader: { control_net_name: 'controlnet' },
  StyleModelLoader: { style_model_name: 'style_models' },
  GLIGENLoader: { gligen_name: 'gligen' },
  HypernetworkLoader: { hypernetwork_name: 'hypernetworks' },
  UpscaleModelLoader: { model_name: 'upscale_models' },
  PhotoMakerLoader: { photomaker_model_name: 'photomaker' },
  ModelPatchLoader: { name: 'model_patches' },
  AudioEncoderLoader: { audio_encoder_name: 'audio_encoders' },
  LatentUpscaleModelLoader: { model_name: 'latent_upscale_models' },
  FrameInterpolationModelLoader: { model_name: 'frame_interpolation' },
  IPAdapterModelLoader: { ipadapter_file: 'ipadapter' },
};

/** Input names that mean the same folder on any node (custom loaders follow core naming). */
const NAME_FOLDERS: Readonly<Record<string, string>> = {
  ckpt_name: 'checkpoints',
  lora_name: 'loras',
  vae_name: 'vae',
  unet_name: 'diffusion_models',
  clip_name: 'text_encoders',
  clip_name1: 'text_encoders',
  clip_name2: 'text_encoders',
  clip_name3: 'text_encoders',
  clip_name4: 'text_encoders',
  clip_vision_name: 'clip_vision',
  control_net_name: 'controlnet',
  controlnet_name: 'controlnet',
  style_model_name: 'style_models',
  gligen_name: 'gligen',
  hypernetwork_name: 'hypernetworks',
  photomaker_model_name: 'photomaker',
  upscale_model_name: 'upscale_models',
  model_patch_name: 'model_patches',
  audio_encoder_name: 'audio_encoders',
};

/** Custom nodes whose `ckpt_name` lists the pack's own downloads, not a ComfyUI folder. */
const PACK_OWN_CHECKPOINTS = new Set(['RIFE VFI', 'DepthAnythingPreprocessor', 'DepthAnythingV2Preprocessor']);

/** Entries VAELoader adds to the vae files (TAESD pairs found in vae_approx, then pixel_space). */
const TAESD_PAIRS: [string, string, string][] = [
  ['taesd', 'taesd_encoder.', 'taesd_decoder.'],
  ['taesdxl', 'taesdxl_encoder.', 'taesdxl_decoder.'],
  ['taesd3', 'taesd3_encoder.', 'taesd3_decoder.'],
  ['taef1', 'taef1_encoder.', 'taef1_decoder.'],
];

function isCombo(spec: InputSpec | undefined): boolean {
  return spec !== undefined && (Array.isArray(spec[0]) || spec[0] === 'COMBO');
}

function specOf(def: NodeDef | undefined, inputName: string): InputSpec | undefined {
  return def?.input.required?.[inputName] ?? def?.input.optional?.[inputName];
}

/**
 * The model folder an input's file names come from, or undefined when it is not a model input.
 * `def` (the node's object_info entry), when given, must show the input as a combo for the
 * by-name rule to apply.
 *
 * @example modelInputFolder('CLIPVisionLoader', 'clip_name') // 'clip_vision'
 */
export function modelInputFolder(classType: string, inputName: string, def?: NodeDef): string | undefined {
  const known = NODE_FOLDERS[classType];
  if (known) return known[inputName];
  if (PACK_OWN_CHECKPOINTS.has(classType)) return undefined;
  const folder = NAME_FOLDERS[inputName];
  if (folder === undefined) return undefined;
  if (def && !isCombo(specOf(def, inputName))) return undefined;
  return folder;
}

/** The list ComfyUI would show for `folder` given these files (VAELoader and TrainLoraNode add entries). */
function comboFor(classType: string, inputName: string, folder: string, models: Record<string, string[]>): string[] {
  const files = [...(models[folder] ?? [])];
  if (classType === 'VAELoader' && inputName === 'vae_name') {
    const approx = models.vae_approx ?? [];
    for (const [name, enc, dec] of TAESD_PAIRS) {
      if (approx.some((f) => f.startsWith(enc)) && approx.some((f) => f.startsWith(dec))) files.push(name);
    }
    files.push('pixel_space');
  }
  if (classType === 'TrainLoraNode' && inputName === 'existing_lora') files.push('[None]');
  return files;
}

function withOptions(spec: InputSpec, files: string[]): InputSpec {
  if (Array.isArray(spec[0])) return spec.length > 1 ? [files, { ...spec[1] }] : [files];
  return [spec[0], { ...spec[1], options: files }];
}

/**
 * A copy of `objectInfo` whose loader combos list exactly the worker's files (`models` is
 * folder → file names, as `GET /models/<folder>` returns them). Folders missing from `models`
 * become empty lists, so a graph naming a file the worker lacks fails with value_not_in_list
 * the way the real worker would answer.
 */
export function applyModelLists(objectInfo: ObjectInfo, models: Record<string, string[]>): ObjectInfo {
  const out: ObjectInfo = {};
  for (const [classType, def] of Object.entries(objectInfo)) {
    let copy: NodeDef | undefined;
    for (const category of ['required', 'optional'] as const) {
      const group = def.input[category];
      if (!group) continue;
      for (const [inputName, spec] of Object.entries(group)) {
        const folder = modelInputFolder(classType, inputName, def);
        if (folder === undefined || !isCombo(spec)) continue;
        copy ??= { ...def, input: { ...def.input } };
        const target = { ...(copy.input[category] ?? group) };
        target[inputName] = withOptions(spec, comboFor(classType, inputName, folder, models));
        copy.input[category] = target;
      }
    }
    out[classType] = copy ?? def;
  }
  return out;
}

export interface ModelInput {
  nodeId: string;
  classType: string;
  input: string;
  folder: string;
  file: string;
}

/**
 * Every model file a graph names, in node order: `[{nodeId: '4', classType:
 * 'CheckpointLoaderSimple', input: 'ckpt_name', folder: 'checkpoints', file: 'sd15.safetensors'}]`.
 * Linked inputs are skipped (their value is only known at run time).
 */
export function modelInputsOf(graph: ApiGraph, objectInfo: ObjectInfo): ModelInput[] {
  const found: ModelInput[] = [];
  for (const [nodeId, node] of Object.entries(graph)) {
    const classType = node?.class_type;
    if (typeof classType !== 'string' || !node.inputs || typeof node.inputs !== 'object') continue;
    const def = objectInfo[classType];
    for (const [input, raw] of Object.entries(node.inputs)) {
      const folder = modelInputFolder(classType, input, def);
      if (folder === undefined) continue;
      const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && '__value__' in raw ? raw.__value__ : raw;
      if (typeof value !== 'string') continue;
      if (classType === 'VAELoader' && (value === 'pixel_space' || TAESD_PAIRS.some(([name]) => name === value))) continue;
      if (classType === 'TrainLoraNode' && value === '[None]') continue;
      found.push({ nodeId, classType, input, folder, file: value });
    }
  }
  return found;
}
