import { access, readdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { probeVideo, runFfmpeg } from '../platform/ffmpeg.js';
import { writeAtomically } from './atomic-output.js';
import { RenderError } from './errors/render-error.js';
import { makeScratchDir } from '../platform/scratch-dir.js';

export interface ShotPreviewOptions {
  /** Preview width in pixels; height keeps the clip's aspect. Default 320. */
  width?: number;
  /** Frames per second of the animated preview. Default 8. */
  fps?: number;
  /** Longest stretch of the clip the preview covers. Default 4 s. */
  maxSeconds?: number;
}

export interface ShotPreview {
  path: string;
  kind: 'animated-webp' | 'poster';
  frames: number;
  width: number;
  height: number;
}

/**
 * A small preview of a clip for the web UI and reports. `out` ending in `.webp` gives an
 * animated WebP (frames taken with ffmpeg at a low rate, joined by sharp, looping); `.png`
 * gives a poster: the clip's middle frame. Animated WebP plays in every browser with no
 * video element and is a fraction of a GIF's size.
 */
export async function renderShotPreview(clipPath: string, out: string, options: ShotPreviewOptions = {}): Promise<ShotPreview> {
  const width = Math.max(16, Math.round(options.width ?? 320));
  const fps = options.fps ?? 8;
  const maxSeconds = options.maxSeconds ?? 4;
  const kind = extname(out).toLowerCase() === '.png' ? 'poster' : 'animated-webp';
  try {
    await access(clipPath);
  } catch (cause) {
    throw new RenderError('RENDER_INPUT_MISSING', `clip ${clipPath} does not exist`, { hint: 'render the shot\'s clip first', cause });
  }
  const frameDir = await makeScratchDir('preview');
  try {
    const scale = `scale=${width}:-2:flags=lanczos`;
    try {
      if (kind === 'poster') {
        const middle = Math.floor((await probeVideo(clipPath)).frames / 2);
        await runFfmpeg(['-y', '-i', clipPath, '-vf', `select=eq(n\\,${middle}),${scale}`, '-frames:v', '1', join(frameDir, '0001.png')]);
      } else {
        await runFfmpeg(['-y', '-i', clipPath, '-t', String(maxSeconds), '-vf', `fps=${fps},${scale}`, join(frameDir, '%04d.png')]);
      }
    } catch (cause) {
      throw new RenderError('RENDER_SHOT_FAILED', `cannot read frames from ${clipPath}`, { hint: `check the clip plays: ffmpeg -i ${clipPath} -f null -`, cause });
    }
    const files = (await readdir(frameDir)).filter((name) => name.endsWith('.png')).sort().map((name) => join(frameDir, name));
    if (files.length === 0) throw new RenderError('RENDER_SHOT_FAILED', `${clipPath} has no video frames`, { hint: 'render the shot\'s clip again' });
    const info = await writeAtomically(out, async (temp) => {
      if (kind === 'poster') return sharp(files[0]).png().toFile(temp);
      return sharp(files, { join: { animated: true } })
        .webp({ quality: 70, effort: 4, loop: 0, delay: files.map(() => Math.round(1000 / fps)) })
        .toFile(temp);
    });
    const height = kind === 'poster' ? info.height : Math.round(info.height / files.length);
    return { path: out, kind, frames: files.length, width: info.width, height };
  } finally {
    await rm(frameDir, { recursive: true, force: true });
  }
}
