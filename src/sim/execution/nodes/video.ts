import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { probeVideo } from '../../../platform/ffmpeg.js';
import { encodeClip, type ClipFormat } from '../../render/encode.js';
import { imageFrames, imageRgbaFrames, pngOf } from '../../render/frames.js';
import { type ExecutionEnv, type NodeHandler, input, num, str } from '../env.js';
import { NodeFailure } from '../node-executor.js';
import { counterText, saveImagePath, vhsSavePath } from '../save-path.js';
import { AudioValue, ImageValue, LatentValue, VideoValue } from '../values.js';
import { cardsOf } from './latents.js';
import { annotatedPath } from './images.js';

/** CreateVideo: IMAGE frames + fps → VIDEO. */
const createVideo: NodeHandler = async (ctx) => {
  const images = input(ctx, 'images', ImageValue)!;
  const fps = num(ctx, 'fps', 30);
  return { outputs: [new VideoValue(images.batch, fps, images.width, images.height, images.cards, images)] };
};

/** The frames of a VIDEO as an IMAGE (a video loaded from disk only has cards). */
function videoImages(video: VideoValue): ImageValue {
  return video.images ?? new ImageValue(video.width, video.height, video.frames, video.cards);
}

async function writeClip(env: ExecutionEnv, images: ImageValue, path: string, fps: number, format: ClipFormat, extra: { crf?: number; lossless?: boolean; quality?: number } = {}): Promise<void> {
  await encodeClip(imageFrames(images, env.cards), { path, width: images.width, height: images.height, fps, format, ...extra });
}

/** SaveVideo (V3): `<prefix>_00001_.mp4`, reported under `images` with `animated: [true]`. */
const saveVideo: NodeHandler = async (ctx, env) => {
  const video = input(ctx, 'video', VideoValue)!;
  const format = str(ctx, 'format', 'auto');
  const container: ClipFormat = format === 'webm' ? 'webm' : format === 'mkv' ? 'mkv' : 'mp4';
  const { folder, filename, counter, subfolder } = saveImagePath(str(ctx, 'filename_prefix', 'video/ComfyUI'), ctx.dirs.output, video.width, video.height, env.now());
  const name = `${filename}_${counterText(counter)}_.${container}`;
  await writeClip(env, videoImages(video), join(folder, name), video.fps, container);
  return { outputs: [], ui: { images: [{ filename: name, subfolder, type: 'output' }], animated: [true] } };
};

function animatedSaver(ext: 'webm' | 'webp' | 'png'): NodeHandler {
  return async (ctx, env) => {
    const images = input(ctx, 'images', ImageValue)!;
    const fps = num(ctx, 'fps', ext === 'webm' ? 24 : 6);
    const { folder, filename, counter, subfolder } = saveImagePath(str(ctx, 'filename_prefix', 'ComfyUI'), ctx.dirs.output, images.width, images.height, env.now());
    const name = `${filename}_${counterText(counter)}_.${ext}`;
    const format: ClipFormat = ext === 'png' ? 'apng' : ext;
    const options = { crf: num(ctx, 'crf', 32), lossless: ctx.inputs.lossless === true, quality: num(ctx, 'quality', 80) };
    if (ext === 'webp' && images.alpha) await writeRgbaWebp(env, images, join(folder, name), fps, options);
    else await writeClip(env, images, join(folder, name), fps, format, options);
    // SaveAnimatedWEBP reports animated only for more than one frame; the others always.
    const animated = ext === 'webp' ? images.batch !== 1 : true;
    return { outputs: [], ui: { images: [{ filename: name, subfolder, type: 'output' }], animated: [animated] } };
  };
}

/** An RGBA animated WebP (Wan-Alpha): PIL keeps the alpha, with `duration = int(1000 / fps)` per frame. */
async function writeRgbaWebp(env: ExecutionEnv, images: ImageValue, path: string, fps: number, o: { lossless: boolean; quality: number }): Promise<void> {
  const frames: Buffer[] = [];
  for await (const frame of imageRgbaFrames(images, env.cards)) frames.push(frame);
  const raw = { width: images.width, height: images.height * frames.length, channels: 4 as const, pageHeight: images.height };
  const delay = frames.map(() => Math.floor(1000 / fps));
  await sharp(Buffer.concat(frames), { raw }).webp({ lossless: o.lossless, quality: o.quality, loop: 0, delay }).toFile(path);
}

const VHS_FORMATS: Record<string, { ext: string; clip: ClipFormat }> = {
  'image/gif': { ext: 'gif', clip: 'gif' },
  'image/webp': { ext: 'webp', clip: 'webp' },
  'video/webm': { ext: 'webm', clip: 'webm' },
  'video/av1-webm': { ext: 'webm', clip: 'webm' },
  'video/ffv1-mkv': { ext: 'mkv', clip: 'mkv' },
};

/** VideoHelperSuite VHS_VideoCombine: `{gifs: [{filename, subfolder, type, format, frame_rate, workflow, fullpath}]}`. */
const vhsVideoCombine: NodeHandler = async (ctx, env) => {
  const source = ctx.inputs.images;
  const images = source instanceof ImageValue ? source : source instanceof LatentValue ? new ImageValue(source.width, source.height, source.frames * source.batch, cardsOf(source, ctx)) : undefined;
  if (!images) throw new NodeFailure('AttributeError', "'NoneType' object has no attribute 'size'");
  const frameRate = num(ctx, 'frame_rate', 8);
  const format = str(ctx, 'format', 'image/gif');
  const kind = VHS_FORMATS[format] ?? { ext: 'mp4', clip: 'mp4' as ClipFormat };
  const saveOutput = ctx.inputs.save_output !== false;
  const root = saveOutput ? ctx.dirs.output : ctx.dirs.temp;
  const { folder, filename, counter, subfolder } = vhsSavePath(str(ctx, 'filename_prefix', 'AnimateDiff'), root);
  const base = `${filename}_${counterText(counter)}`;
  const first = await imageFrames(new ImageValue(images.width, images.height, 1, images.cards.slice(0, 1), images.source, images.ops), env.cards).next();
  if (first.value) await writeFile(join(folder, `${base}.png`), await pngOf(first.value, images.width, images.height, 4));
  const file = `${base}.${kind.ext}`;
  const fullpath = join(folder, file);
  await writeClip(env, images, fullpath, frameRate, kind.clip, { crf: num(ctx, 'crf', 19), lossless: ctx.inputs.lossless === true });
  const entry = { filename: file, subfolder, type: saveOutput ? 'output' : 'temp', format, frame_rate: frameRate, workflow: `${base}.png`, fullpath };
  return { outputs: ctx.def.output.map(() => [saveOutput, [join(folder, `${base}.png`), fullpath]]), ui: { gifs: [entry] } };
};

/** GetVideoComponents: VIDEO → (IMAGE, AUDIO, fps). */
const getVideoComponents: NodeHandler = async (ctx) => {
  const video = input(ctx, 'video', VideoValue)!;
  return { outputs: [videoImages(video), new AudioValue(video.frames / video.fps), video.fps] };
};

/** LoadVideo: frames, fps and size probed from the real file with ffmpeg. */
const loadVideo: NodeHandler = async (ctx) => {
  const name = str(ctx, 'file') || str(ctx, 'video');
  const path = annotatedPath(name, ctx.dirs);
  const probe = await probeVideo(path).catch(() => {
    throw new NodeFailure('FileNotFoundError', `[Errno 2] No such file or directory: '${path}'`);
  });
  const cards = Array.from({ length: probe.frames }, (_, i) => ({ text: `input video: ${name}`, nodeId: ctx.nodeId, classType: ctx.classType, frame: i, width: probe.width, height: probe.height }));
  return { outputs: [new VideoValue(probe.frames, probe.fps, probe.width, probe.height, cards)] };
};

/** RIFE VFI (Frame-Interpolation pack): (n − 1) × multiplier + 1 frames. */
const rife: NodeHandler = async (ctx, env) => {
  const images = input(ctx, 'frames', ImageValue)!;
  const m = Math.max(1, num(ctx, 'multiplier', 2));
  const count = (images.batch - 1) * m + 1;
  const cards = Array.from({ length: count }, (_, i) => ({ ...images.cards[Math.min(images.cards.length - 1, Math.round(i / m))]!, frame: i }));
  await ctx.spend(((12 * (images.width * images.height)) / (1280 * 720)) * count / env.gpu.profile.speed);
  return { outputs: [new ImageValue(images.width, images.height, count, cards)] };
};

export const videoHandlers: Record<string, NodeHandler> = {
  CreateVideo: createVideo,
  SaveVideo: saveVideo,
  SaveWEBM: animatedSaver('webm'),
  SaveAnimatedWEBP: animatedSaver('webp'),
  SaveAnimatedPNG: animatedSaver('png'),
  VHS_VideoCombine: vhsVideoCombine,
  GetVideoComponents: getVideoComponents,
  LoadVideo: loadVideo,
  'RIFE VFI': rife,
};

