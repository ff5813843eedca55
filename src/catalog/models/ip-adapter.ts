import { APACHE_2, MIT } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// h94/IP-Adapter files. The IPAdapterUnifiedLoader finds them by exact name, so names must not change.
const H94 = 'h94/IP-Adapter';
const LIC = { ...APACHE_2, url: 'https://huggingface.co/h94/IP-Adapter' };

function ipa(id: string, name: string, file: string, path: string, sizeGb: number, description: string): CatalogModel {
  return {
    id, family: 'ip-adapter', role: 'ipadapter', name, description, licence: LIC,
    variants: [{ precision: 'fp16', file, folder: 'ipadapter', sizeBytes: gb(sizeGb), sizeEstimated: true, vramBytes: runVram(gb(sizeGb), 0.5), url: hf(H94, path) }],
  };
}

export const ipAdapterModels: CatalogModel[] = [
  ipa('ip-adapter-sd15', 'IP-Adapter SD1.5', 'ip-adapter_sd15.safetensors', 'models/ip-adapter_sd15.safetensors', 0.044, 'STANDARD preset for SD1.5 (ViT-H).'),
  ipa('ip-adapter-plus-sd15', 'IP-Adapter Plus SD1.5', 'ip-adapter-plus_sd15.safetensors', 'models/ip-adapter-plus_sd15.safetensors', 0.098, 'PLUS preset for SD1.5.'),
  ipa('ip-adapter-plus-face-sd15', 'IP-Adapter Plus Face SD1.5', 'ip-adapter-plus-face_sd15.safetensors', 'models/ip-adapter-plus-face_sd15.safetensors', 0.098, 'PLUS FACE preset for SD1.5.'),
  ipa('ip-adapter-sdxl-vit-h', 'IP-Adapter SDXL (ViT-H)', 'ip-adapter_sdxl_vit-h.safetensors', 'sdxl_models/ip-adapter_sdxl_vit-h.safetensors', 0.698, 'STANDARD preset for SDXL.'),
  ipa('ip-adapter-plus-sdxl-vit-h', 'IP-Adapter Plus SDXL (ViT-H)', 'ip-adapter-plus_sdxl_vit-h.safetensors', 'sdxl_models/ip-adapter-plus_sdxl_vit-h.safetensors', 0.848, 'PLUS preset for SDXL.'),
  ipa('ip-adapter-plus-face-sdxl-vit-h', 'IP-Adapter Plus Face SDXL (ViT-H)', 'ip-adapter-plus-face_sdxl_vit-h.safetensors', 'sdxl_models/ip-adapter-plus-face_sdxl_vit-h.safetensors', 0.848, 'PLUS FACE preset for SDXL.'),
  {
    id: 'clip-vit-h-14-laion2b', family: 'ip-adapter', role: 'clip_vision', parameters: '632M', name: 'CLIP ViT-H/14 LAION-2B (vision)',
    description: 'Image encoder for all SD1.5 presets and the SDXL *_vit-h models; the unified loader needs this exact name.', licence: MIT,
    variants: [{ precision: 'fp16', file: 'CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors', folder: 'clip_vision', sizeBytes: gb(2.53), sizeEstimated: true, vramBytes: runVram(gb(2.53), 0.5), url: hf(H94, 'models/image_encoder/model.safetensors'), notes: 'save the download under the catalogue file name' }],
  },
  {
    id: 'clip-vit-bigg-14-laion2b', family: 'ip-adapter', role: 'clip_vision', parameters: '1.8B', name: 'CLIP ViT-bigG/14 LAION-2B (vision)',
    description: 'Image encoder for the VIT-G presets.', licence: MIT,
    variants: [{ precision: 'fp16', file: 'CLIP-ViT-bigG-14-laion2B-39B-b160k.safetensors', folder: 'clip_vision', sizeBytes: gb(3.69), sizeEstimated: true, vramBytes: runVram(gb(3.69), 0.5), url: hf(H94, 'sdxl_models/image_encoder/model.safetensors'), notes: 'save the download under the catalogue file name' }],
  },
];
