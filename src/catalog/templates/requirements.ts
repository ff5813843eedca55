import type { ApiGraph } from '../../comfy/graph.js';
import { extendedObjectInfo, nodePackOf } from '../../comfy/object-info/extra-nodes.js';
import { modelInputsOf } from '../../comfy/object-info/model-lists.js';
import type { ModelRequirement, NodeRequirement, TemplateRequirements } from './template.js';

/** RIFE checkpoints live in the pack's own folder, not models/ (reference §9.1), so modelInputsOf skips them. */
const RIFE_FOLDER = 'custom_nodes/ComfyUI-Frame-Interpolation/ckpts/rife';

/** IPAdapterUnifiedLoader finds its files by name pattern from the preset (reference §8.5). */
const IPADAPTER_PRESET_FILES: Record<string, ModelRequirement[]> = {
  'LIGHT - SD1.5 only (low strength)': [{ folder: 'ipadapter', file: 'ip-adapter_sd15_light_v11.bin' }],
  'STANDARD (medium strength)': [{ folder: 'ipadapter', file: 'ip-adapter_sd15.safetensors' }],
  'VIT-G (medium strength)': [{ folder: 'ipadapter', file: 'ip-adapter_sd15_vit-G.safetensors' }],
  'PLUS (high strength)': [{ folder: 'ipadapter', file: 'ip-adapter-plus_sd15.safetensors' }],
  'PLUS FACE (portraits)': [{ folder: 'ipadapter', file: 'ip-adapter-plus-face_sd15.safetensors' }],
  'FULL FACE - SD1.5 only (portraits stronger)': [{ folder: 'ipadapter', file: 'ip-adapter-full-face_sd15.safetensors' }],
};
const IPADAPTER_SDXL_FILES: Record<string, string> = {
  'STANDARD (medium strength)': 'ip-adapter_sdxl_vit-h.safetensors',
  'VIT-G (medium strength)': 'ip-adapter_sdxl.safetensors',
  'PLUS (high strength)': 'ip-adapter-plus_sdxl_vit-h.safetensors',
  'PLUS FACE (portraits)': 'ip-adapter-plus-face_sdxl_vit-h.safetensors',
};

/** `core` for ComfyUI's own nodes, else the custom-node pack (and its repository) that provides the class. */
export function packOf(classType: string): { pack: string; repository?: string } {
  const pack = nodePackOf(classType);
  return pack ? { pack: pack.pack, repository: pack.repository } : { pack: 'unknown' };
}

/** Model files the graph loads, by folder: its loader inputs (modelInputsOf), RIFE checkpoints and IP-Adapter preset files. */
export function modelFilesOf(graph: ApiGraph): ModelRequirement[] {
  const found: ModelRequirement[] = [];
  const sdxl = Object.values(graph).some((n) => n.class_type === 'CheckpointLoaderSimple' && /xl/i.test(String(n.inputs.ckpt_name)));
  for (const input of modelInputsOf(graph, extendedObjectInfo())) found.push({ folder: input.folder, file: input.file });
  for (const node of Object.values(graph)) {
    if (node.class_type === 'RIFE VFI' && typeof node.inputs.ckpt_name === 'string') found.push({ folder: RIFE_FOLDER, file: node.inputs.ckpt_name });
    if (node.class_type === 'IPAdapterUnifiedLoader') found.push(...ipAdapterFiles(String(node.inputs.preset), sdxl));
  }
  return dedupe(found);
}

function ipAdapterFiles(preset: string, sdxl: boolean): ModelRequirement[] {
  const vitG = preset.startsWith('VIT-G');
  const clip = { folder: 'clip_vision', file: vitG ? 'CLIP-ViT-bigG-14-laion2B-39B-b160k.safetensors' : 'CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors' };
  const sdxlFile = IPADAPTER_SDXL_FILES[preset];
  const adapters = sdxl && sdxlFile ? [{ folder: 'ipadapter', file: sdxlFile }] : (IPADAPTER_PRESET_FILES[preset] ?? []);
  return [clip, ...adapters];
}

/** Node classes (with their pack), model files and input files of a built graph. */
export function requirementsOf(graph: ApiGraph): TemplateRequirements {
  const classes = [...new Set(Object.values(graph).map((n) => n.class_type))].sort();
  const nodes: NodeRequirement[] = classes.map((classType) => ({ classType, ...packOf(classType) }));
  const images = new Set<string>();
  const videos = new Set<string>();
  for (const node of Object.values(graph)) {
    if ((node.class_type === 'LoadImage' || node.class_type === 'LoadImageMask') && typeof node.inputs.image === 'string') images.add(node.inputs.image);
    if (node.class_type === 'LoadVideo' && typeof node.inputs.file === 'string') videos.add(node.inputs.file);
  }
  return { nodes, models: modelFilesOf(graph), inputs: { images: [...images], videos: [...videos] } };
}

function dedupe(models: ModelRequirement[]): ModelRequirement[] {
  const seen = new Set<string>();
  return models.filter((m) => {
    const key = `${m.folder}/${m.file}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
