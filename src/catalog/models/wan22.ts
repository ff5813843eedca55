import { APACHE_2 } from './licences.js';
import { gb, hf, runVram, type CatalogModel } from './model.js';

// Sizes from the HF tree of Comfy-Org/Wan_2.2_ComfyUI_Repackaged (fp8_scaled 14.3 GB, fp16 28.6 GB).
// VRAM: the 24 GB 4090D template note (fp8_scaled 640×640×81 at ~84%) → weights + ~5 GB working set.
const W22 = 'Comfy-Org/Wan_2.2_ComfyUI_Repackaged';
const W21 = 'Comfy-Org/Wan_2.1_ComfyUI_repackaged';
const WAN_LICENCE = { ...APACHE_2, url: 'https://huggingface.co/Wan-AI/Wan2.2-I2V-A14B/blob/main/LICENSE.txt' };

function expert(task: 'i2v' | 't2v', noise: 'high' | 'low'): CatalogModel {
  const stem = `wan2.2_${task}_${noise}_noise_14B`;
  return {
    id: `wan22-${task}-14b-${noise}-noise`, family: 'wan22', role: 'diffusion_model', parameters: '14B',
    name: `Wan 2.2 14B ${task.toUpperCase()} ${noise}-noise expert`,
    description: `Wan 2.2 A14B MoE ${task === 'i2v' ? 'image' : 'text'}-to-video, ${noise}-noise expert (${noise === 'high' ? 'first' : 'second'} pass of the split-step graph). Uses wan_2.1_vae and umt5-xxl.`,
    licence: WAN_LICENCE,
    variants: [
      { precision: 'fp16', file: `${stem}_fp16.safetensors`, folder: 'diffusion_models', sizeBytes: gb(28.6), vramBytes: runVram(gb(28.6), 5), url: hf(W22, `split_files/diffusion_models/${stem}_fp16.safetensors`) },
      { precision: 'fp8_scaled', file: `${stem}_fp8_scaled.safetensors`, folder: 'diffusion_models', sizeBytes: gb(14.3), vramBytes: runVram(gb(14.3), 5), url: hf(W22, `split_files/diffusion_models/${stem}_fp8_scaled.safetensors`) },
    ],
  };
}

function lightx2v(task: 'i2v' | 't2v', noise: 'high' | 'low'): CatalogModel {
  const file = task === 'i2v' ? `wan2.2_i2v_lightx2v_4steps_lora_v1_${noise}_noise.safetensors` : `wan2.2_t2v_lightx2v_4steps_lora_v1.1_${noise}_noise.safetensors`;
  return {
    id: `wan22-${task}-lightx2v-4steps-${noise}-noise`, family: 'wan22', role: 'lora',
    name: `Wan 2.2 ${task.toUpperCase()} lightx2v 4-step LoRA (${noise} noise)`,
    description: `4-step distillation LoRA for the ${noise}-noise ${task.toUpperCase()} expert (${task === 'i2v' ? 'v1' : 'v1.1'}); use steps 4, cfg 1, split 2.`,
    licence: WAN_LICENCE,
    variants: [{ precision: 'bf16', file, folder: 'loras', sizeBytes: gb(1.23), sizeEstimated: true, vramBytes: gb(1.23), url: hf(W22, `split_files/loras/${file}`), notes: 'size is a third-party figure (~1.2 GB)' }],
  };
}

function funInpaint(noise: 'high' | 'low'): CatalogModel {
  const file = `wan2.2_fun_inpaint_${noise}_noise_14B_fp8_scaled.safetensors`;
  return {
    id: `wan22-fun-inpaint-14b-${noise}-noise`, family: 'wan22', role: 'diffusion_model', parameters: '14B',
    name: `Wan 2.2 Fun Inpaint 14B (${noise}-noise expert)`,
    description: `Wan 2.2 Fun Inpaint first/last-frame model, ${noise}-noise expert of the split-step graph (WanFunInpaintToVideo).`,
    licence: WAN_LICENCE,
    variants: [{ precision: 'fp8_scaled', file, folder: 'diffusion_models', sizeBytes: gb(14.3), sizeEstimated: true, vramBytes: runVram(gb(14.3), 5), url: hf(W22, `split_files/diffusion_models/${file}`), notes: 'size assumed equal to the other fp8_scaled 14B experts' }],
  };
}

export const wan22Models: CatalogModel[] = [
  funInpaint('high'), funInpaint('low'),
  expert('i2v', 'high'), expert('i2v', 'low'), expert('t2v', 'high'), expert('t2v', 'low'),
  lightx2v('i2v', 'high'), lightx2v('i2v', 'low'), lightx2v('t2v', 'high'), lightx2v('t2v', 'low'),
  {
    id: 'wan22-ti2v-5b', family: 'wan22', role: 'diffusion_model', parameters: '5B', name: 'Wan 2.2 5B TI2V',
    description: 'Single 5B text/image-to-video model (no expert split); needs wan2.2_vae; width/height step 32. "Should fit well on 8GB VRAM with ComfyUI native offloading".',
    licence: WAN_LICENCE,
    variants: [{ precision: 'fp16', file: 'wan2.2_ti2v_5B_fp16.safetensors', folder: 'diffusion_models', sizeBytes: gb(10.0), sizeEstimated: true, vramBytes: runVram(gb(10.0), 4), url: hf(W22, 'split_files/diffusion_models/wan2.2_ti2v_5B_fp16.safetensors') }],
  },
  {
    id: 'wan21-vae', family: 'wan22', role: 'vae', name: 'Wan 2.1 VAE',
    description: 'VAE used by Wan 2.1 and the Wan 2.2 14B models (not by the 5B).', licence: WAN_LICENCE,
    variants: [{ precision: 'bf16', file: 'wan_2.1_vae.safetensors', folder: 'vae', sizeBytes: gb(0.254), vramBytes: gb(2.5), url: hf(W22, 'split_files/vae/wan_2.1_vae.safetensors') }],
  },
  {
    id: 'wan22-vae', family: 'wan22', role: 'vae', name: 'Wan 2.2 VAE',
    description: 'High-compression VAE of the Wan 2.2 5B TI2V model (÷16 spatially, 48 channels).', licence: WAN_LICENCE,
    variants: [{ precision: 'bf16', file: 'wan2.2_vae.safetensors', folder: 'vae', sizeBytes: gb(1.41), sizeEstimated: true, vramBytes: gb(4), url: hf(W22, 'split_files/vae/wan2.2_vae.safetensors') }],
  },
  {
    id: 'umt5-xxl', family: 'wan22', role: 'text_encoder', parameters: '5.7B', name: 'UMT5-XXL text encoder',
    description: 'Text encoder of Wan 2.1/2.2 (CLIPLoader type "wan").', licence: APACHE_2,
    variants: [
      { precision: 'fp16', file: 'umt5_xxl_fp16.safetensors', folder: 'text_encoders', sizeBytes: gb(11.4), vramBytes: runVram(gb(11.4), 1), url: hf(W21, 'split_files/text_encoders/umt5_xxl_fp16.safetensors') },
      { precision: 'fp8_scaled', file: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', folder: 'text_encoders', sizeBytes: gb(6.74), vramBytes: runVram(gb(6.74), 1), url: hf(W21, 'split_files/text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors') },
    ],
  },
];
