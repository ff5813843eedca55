import { z } from 'zod';
import { defaultObjectInfo } from '../../comfy/object-info/load.js';

/** Pieces of parameter schemas that many templates share. */

/** ComfyUI seeds go to 2^64−1; JSON numbers stay exact only to 2^53−1, so that is our limit. */
export function seed(defaultSeed: number) {
  return z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(defaultSeed);
}

/** A width or height: integer, within ComfyUI's 16…16384, a multiple of the latent step. */
export function dimension(defaultValue: number, step: number, min = 16) {
  return z.number().int().min(min).max(16384).multipleOf(step, { message: `must be a multiple of ${step}` }).default(defaultValue);
}

/** Wan / Hunyuan frame counts are 4n+1 (1, 5, 9, …, 81, 121, 161). */
export const videoLength = z
  .number()
  .int()
  .min(1)
  .max(16384)
  .refine((n) => (n - 1) % 4 === 0, { message: 'must be 4n+1 (e.g. 33, 81, 121)' });

/** The 4n+1 frame count closest to `seconds` of video at `fps`, counting the first frame: 5 s at 16 fps → 81. */
export function framesFor(seconds: number, fps: number): number {
  return Math.max(0, Math.round((seconds * fps) / 4)) * 4 + 1;
}

export function steps(defaultValue: number) {
  return z.number().int().min(1).max(10000).default(defaultValue);
}

export function cfg(defaultValue: number) {
  return z.number().min(0).max(100).default(defaultValue);
}

export function denoise(defaultValue: number) {
  return z.number().min(0).max(1).default(defaultValue);
}

function comboOptions(classType: string, input: string): string[] {
  const spec = defaultObjectInfo()[classType]?.input.required?.[input];
  return Array.isArray(spec?.[0]) ? (spec[0] as string[]) : [];
}

/** A KSampler sampler name, checked against the recorded object_info. */
export function samplerName(defaultValue: string) {
  return z
    .string()
    .refine((v) => comboOptions('KSampler', 'sampler_name').includes(v), { message: 'not a ComfyUI sampler name (e.g. euler, uni_pc, res_multistep)' })
    .default(defaultValue);
}

/** A KSampler scheduler name, checked against the recorded object_info. */
export function scheduler(defaultValue: string) {
  return z
    .string()
    .refine((v) => comboOptions('KSampler', 'scheduler').includes(v), { message: 'not a ComfyUI scheduler (e.g. simple, normal, karras)' })
    .default(defaultValue);
}

/** A file name in the worker's input/ folder (an uploaded image or video). */
export function inputFile(defaultName: string) {
  return z
    .string()
    .min(1, { message: 'must name a file in the worker input folder' })
    .refine(isWorkerInputName, { message: "must name a file inside the worker input folder (name.png or sub/name.png), not an absolute path or one with '..'" })
    .default(defaultName);
}

/**
 * A name ComfyUI resolves under its input folder: relative, no `..` segment, no NUL. ComfyUI's
 * LoadImage joins the name to the folder without checking, so `../../home/me/x.png` would
 * read a file outside it on the worker.
 */
export function isWorkerInputName(name: string): boolean {
  if (name.includes('\0') || /^([/\\]|[A-Za-z]:)/.test(name)) return false;
  return !name.split(/[/\\]/).some((segment) => segment === '..');
}

export function prompt(defaultText: string) {
  return z.string().default(defaultText);
}

export function filenamePrefix(defaultPrefix: string) {
  return z.string().min(1).default(defaultPrefix);
}

export const fps = (defaultValue: number) => z.number().min(1).max(120).default(defaultValue);

/** The Chinese negative prompt every official Wan template uses, verbatim. */
export const WAN_NEGATIVE =
  '色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走';
