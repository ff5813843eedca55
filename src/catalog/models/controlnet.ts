import { APACHE_2, OPENRAIL_PP } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// SD1.5: comfyanonymous/ControlNet-v1-1_fp16_safetensors (723 MB each). SDXL files are renamed on
// download (upstream names them diffusion_pytorch_model*.safetensors); sizes are estimates.
const CN15 = 'comfyanonymous/ControlNet-v1-1_fp16_safetensors';
const CN11_LICENCE = { name: 'OpenRAIL', url: 'https://huggingface.co/lllyasviel/ControlNet-v1-1', commercialUse: true, notes: 'ControlNet 1.1 weights are published under OpenRAIL; use-based restrictions apply.' };

function sd15(kind: string, file: string, description: string): CatalogModel {
  return {
    id: `controlnet-sd15-${kind}`, family: 'controlnet', role: 'controlnet', parameters: '361M', name: `ControlNet 1.1 SD1.5 ${kind}`, description, licence: CN11_LICENCE,
    variants: [{ precision: 'fp16', file, folder: 'controlnet', sizeBytes: gb(0.723), vramBytes: runVram(gb(0.723), 0.5), url: hf(CN15, file) }],
  };
}

export const controlnetModels: CatalogModel[] = [
  sd15('openpose', 'control_v11p_sd15_openpose_fp16.safetensors', 'Pose control for SD1.5; feed an OpenposePreprocessor image.'),
  sd15('depth', 'control_v11f1p_sd15_depth_fp16.safetensors', 'Depth control for SD1.5; feed a DepthAnything / MiDaS depth map.'),
  sd15('lineart', 'control_v11p_sd15_lineart_fp16.safetensors', 'Line-art control for SD1.5; feed LineArtPreprocessor output.'),
  sd15('lineart-anime', 'control_v11p_sd15s2_lineart_anime_fp16.safetensors', 'Anime line-art control for SD1.5; feed AnimeLineArtPreprocessor output.'),
  sd15('scribble', 'control_v11p_sd15_scribble_fp16.safetensors', 'Scribble control for SD1.5 (the docs example).'),
  {
    id: 'controlnet-sdxl-openpose', family: 'controlnet', role: 'controlnet', parameters: '1.25B', name: 'ControlNet SDXL openpose (xinsir)', description: 'Pose control for SDXL; OpenposePreprocessor with scale_stick_for_xinsr_cn enabled.', licence: APACHE_2,
    variants: [{ precision: 'fp16', file: 'controlnet-openpose-sdxl-1.0.safetensors', folder: 'controlnet', sizeBytes: gb(2.5), sizeEstimated: true, vramBytes: runVram(gb(2.5), 1), url: hf('xinsir/controlnet-openpose-sdxl-1.0', 'diffusion_pytorch_model.safetensors'), notes: 'save the download under the catalogue file name' }],
  },
  {
    id: 'controlnet-sdxl-depth', family: 'controlnet', role: 'controlnet', parameters: '1.25B', name: 'ControlNet SDXL depth (diffusers)', description: 'Depth control for SDXL.', licence: OPENRAIL_PP,
    variants: [{ precision: 'fp16', file: 'controlnet-depth-sdxl-1.0.safetensors', folder: 'controlnet', sizeBytes: gb(2.5), sizeEstimated: true, vramBytes: runVram(gb(2.5), 1), url: hf('diffusers/controlnet-depth-sdxl-1.0', 'diffusion_pytorch_model.fp16.safetensors'), notes: 'save the download under the catalogue file name' }],
  },
  {
    id: 'controlnet-sdxl-lineart', family: 'controlnet', role: 'controlnet', parameters: '1.25B', name: 'MistoLine SDXL line-art ControlNet', description: 'Line-art control for SDXL (any line preprocessor).',
    licence: { ...OPENRAIL_PP, url: 'https://huggingface.co/TheMistoAI/MistoLine', notes: 'Stated as OpenRAIL++-M on the model card (unverified here).' },
    variants: [{ precision: 'fp16', file: 'mistoLine_fp16.safetensors', folder: 'controlnet', sizeBytes: gb(2.5), sizeEstimated: true, vramBytes: runVram(gb(2.5), 1), url: hf('TheMistoAI/MistoLine', 'mistoLine_fp16.safetensors') }],
  },
];
