import { z } from 'zod';
import { GraphBuilder } from '../graph/graph-builder.js';
import { defineTemplate } from './define.js';
import { scaleByWork } from './estimates.js';
import { encodePair, saveVideo } from './fragments.js';
import { cfg, dimension, inputFile, prompt, samplerName, scheduler, seed, steps, videoLength } from './params.js';

/**
 * Wan 2.1 VACE masked video inpainting (reference §4.1; template video_wan_vace_inpainting). The
 * mask is painted into the alpha of the first frame (1 = regenerate) and repeated over all frames.
 */
const VACE_NEGATIVE =
  '过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走,过曝，';

const params = z.object({
  prompt: prompt('A little boy and a dog are hiking in the forest. The puppy runs around the boy cheerfully.\n'),
  negative: prompt(VACE_NEGATIVE),
  video: inputFile('video_wan_vace_inpainting_input_video.mp4'),
  /** First frame with the region to regenerate painted into its alpha channel. */
  maskImage: inputFile('video_wan_vace_inpainting_1st_frame_and_mask.png'),
  /** Reference of what to put in the masked region (solid backgrounds work best); null for none. */
  referenceImage: z.string().min(1).nullable().default('dog.jpg'),
  seed: seed(584027519362099),
  width: dimension(720, 16),
  height: dimension(720, 16),
  length: videoLength.default(81),
  strength: z.number().min(0).max(1000).default(1),
  /** CausVid LoRA strength; 0 removes it (then use ≈20 steps, cfg 6). */
  causvidStrength: z.number().min(0).max(2).default(0.3),
  steps: steps(4),
  cfg: cfg(1),
  shift: z.number().min(0).max(100).default(5),
  sampler: samplerName('uni_pc'),
  scheduler: scheduler('simple'),
  weightDtype: z.enum(['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2']).default('fp8_e4m3fn_fast'),
  filenamePrefix: z.string().min(1).default('video/ComfyUI'),
});

export const wanVaceInpaint = defineTemplate({
  id: 'wan-vace-inpaint',
  version: '1.0.0',
  title: 'Wan 2.1 VACE video inpainting',
  description: 'Regenerates a masked region of a video with Wan 2.1 VACE 14B (+ CausVid LoRA, 4 steps), optionally guided by a reference image.',
  family: 'wan21-14b',
  capabilities: ['video_inpainting'],
  params,
  scores: { quality: 0.8, speed: 0.25 },
  variants: [
    { id: 'no-causvid', kind: 'quality', description: 'without the CausVid LoRA: 20 steps, cfg 6', params: { causvidStrength: 0, steps: 20, cfg: 6 } },
    { id: 'small', kind: 'low-memory', description: '640×640×49 (≈7 min on a 4090 instead of ≈40 at 720p)', params: { width: 640, height: 640, length: 49 } },
  ],
  graph(p) {
    const g = new GraphBuilder();
    const unet = g.node('UNETLoader', { unet_name: 'wan2.1_vace_14B_fp16.safetensors', weight_dtype: p.weightDtype }, { title: 'Load Diffusion Model' });
    const lora =
      p.causvidStrength > 0
        ? g.node('LoraLoaderModelOnly', { model: unet.out(0), lora_name: 'Wan21_CausVid_14B_T2V_lora_rank32.safetensors', strength_model: p.causvidStrength }, { title: 'CausVid LoRA' }).out(0)
        : unet.out(0);
    const model = g.node('ModelSamplingSD3', { model: lora, shift: p.shift }, { title: 'ModelSamplingSD3' });
    const clip = g.node('CLIPLoader', { clip_name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', type: 'wan', device: 'default' }, { title: 'Load CLIP' });
    const vae = g.node('VAELoader', { vae_name: 'wan_2.1_vae.safetensors' }, { title: 'Load VAE' });
    const text = encodePair(g, clip.out(0), p.prompt, p.negative);
    const video = g.node('LoadVideo', { file: p.video }, { title: 'Load Video' });
    const parts = g.node('GetVideoComponents', { video: video.out(0) }, { title: 'Get Video Components' });
    const size = g.node('GetImageSize', { image: parts.out('images') }, { title: 'Get Image Size' });
    const frames = g.node('RebatchImages', { images: parts.out('images'), batch_size: size.out(2) }, { title: 'Rebatch Images' });
    const maskFrame = g.node('LoadImage', { image: p.maskImage }, { title: 'First Frame + Mask' });
    const inverted = g.node('InvertMask', { mask: maskFrame.out('MASK') }, { title: 'Invert Mask' });
    const grey = g.node('MaskToImage', { mask: inverted.out(0) }, { title: 'Mask To Image' });
    const control = g.node(
      'ImageCompositeMasked',
      { destination: frames.out(0), source: grey.out(0), x: 0, y: 0, resize_source: true, mask: maskFrame.out('MASK') },
      { title: 'Blank The Masked Region' },
    );
    const maskImage = g.node('MaskToImage', { mask: maskFrame.out('MASK') }, { title: 'Mask To Image' });
    const repeated = g.node('RepeatImageBatch', { image: maskImage.out(0), amount: size.out(2) }, { title: 'Repeat Mask Per Frame' });
    const masks = g.node('ImageToMask', { image: repeated.out(0), channel: 'red' }, { title: 'Image To Mask' });
    const reference = p.referenceImage === null ? undefined : g.node('LoadImage', { image: p.referenceImage }, { title: 'Reference Image' }).out('IMAGE');
    const vace = g.node(
      'WanVaceToVideo',
      { ...text, vae: vae.out(0), control_video: control.out(0), control_masks: masks.out(0), reference_image: reference, width: p.width, height: p.height, length: p.length, batch_size: 1, strength: p.strength },
      { title: 'WanVaceToVideo' },
    );
    const sampled = g.node(
      'KSampler',
      { model: model.out(0), positive: vace.out(0), negative: vace.out(1), latent_image: vace.out(2), seed: p.seed, steps: p.steps, cfg: p.cfg, sampler_name: p.sampler as never, scheduler: p.scheduler as never, denoise: 1 },
      { title: 'KSampler' },
    );
    const trimmed = g.node('TrimVideoLatent', { samples: sampled.out(0), trim_amount: vace.out(3) }, { title: 'Trim Video Latent' });
    const decoded = g.node('VAEDecode', { samples: trimmed.out(0), vae: vae.out(0) }, { title: 'VAE Decode' });
    // Keep the source clip's frame rate.
    saveVideo(g, decoded.out(0), { fps: parts.out('fps'), prefix: p.filenamePrefix });
    return g.build();
  },
  output: (p) => ({ kind: 'video', frames: p.length, width: p.width, height: p.height }),
  cost: (p) => ({
    steps: p.steps,
    // Docs: 720×1280×81 ≈ 40 min for 4 steps on a 4090 would be ~600 s/step; 640²×49 ≈ 7 min.
    secondsPerStepRtx4090: scaleByWork(105, { width: 640, height: 640, frames: 49 }, { width: p.width, height: p.height, frames: p.length }),
    workload: { width: p.width, height: p.height, frames: p.length },
  }),
});
