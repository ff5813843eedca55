import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTemplates, templateById, type AnyTemplate, type TemplateOutput } from '../../src/catalog/templates/index.js';
import { ComfyClient } from '../../src/comfy/client/comfy-client.js';
import type { OutputFile } from '../../src/comfy/client/job-types.js';
import { isOutOfMemoryError, OutOfMemoryError } from '../../src/comfy/errors/out-of-memory-error.js';
import { probeVideo, runFfmpeg } from '../../src/platform/ffmpeg.js';
import { startEmulator, type GpuProfileId } from '../../src/sim/index.js';

/**
 * Acceptance: the emulator runs every catalogue template (and every variant) to completion, and
 * the files have the kind, size and frame count the template promises (template.output()).
 * Each run gets an emulator whose model lists are exactly the template's requirements.
 */

/** Input files the templates' defaults name, with the shape we give them. */
const IMAGE_SIZE = { width: 800, height: 600 };
/** Clips the video templates read: frame count and rate match the template defaults that describe them. */
const CLIPS: Record<string, { frames: number; fps: number; width: number; height: number }> = {
  'clip.mp4': { frames: 81, fps: 16, width: 64, height: 48 },
  'hunyuan_video_1.5_00001_.mp4': { frames: 121, fps: 24, width: 64, height: 48 },
  'video_wan_vace_inpainting_input_video.mp4': { frames: 81, fps: 16, width: 64, height: 48 },
};

/**
 * Sizes that keep the suite fast: frame counts stay exact, only the pixels per frame shrink.
 * Defaults run at the catalogue size except the 1080p SR stage (its 720p variant keeps its own
 * size); variants that do not set a size themselves run small, since their shape logic is the same.
 */
const SMALL: Record<string, Record<string, unknown>> = { 'hunyuan15-sr': { width: 960, height: 544 } };
const VARIANT_SIZE = { width: 320, height: 192 };

/** FluxKontextImageScale's preferred sizes (comfy_extras/nodes_flux.py). */
const KONTEXT = [
  [672, 1568], [688, 1504], [720, 1456], [752, 1392], [800, 1328], [832, 1248], [880, 1184], [944, 1104], [1024, 1024],
  [1104, 944], [1184, 880], [1248, 832], [1328, 800], [1392, 752], [1456, 720], [1504, 688], [1568, 672],
] as const;

function kontextSize(width: number, height: number): { width: number; height: number } {
  const aspect = width / height;
  const best = [...KONTEXT].sort((a, b) => Math.abs(aspect - a[0] / a[1]) - Math.abs(aspect - b[0] / b[1]))[0]!;
  return { width: best[0], height: best[1] };
}

function maxDimension(width: number, height: number, largest: number): { width: number; height: number } {
  if (height > width) return { width: Math.round((width / height) * largest), height: largest };
  if (width > height) return { width: largest, height: Math.round((height / width) * largest) };
  return { width: largest, height: largest };
}

/** Sizes template.output() leaves open because they follow the inputs. */
function expectedSize(t: AnyTemplate, p: Record<string, unknown>, out: TemplateOutput): { width: number; height: number } {
  if (out.width !== undefined && out.height !== undefined) return { width: out.width, height: out.height };
  const { width, height } = IMAGE_SIZE;
  switch (t.id) {
    case 'upscale': {
      const factor = (p.outputScale as number | undefined) ?? (p.scale as number);
      return { width: Math.round(width * factor), height: Math.round(height * factor) };
    }
    case 'qwen-image-edit-2509':
    case 'qwen-relight':
      return kontextSize(width, height);
    case 'qwen-image-layered':
      return maxDimension(width, height, p.largestSize as number);
    case 'rife-interpolate': {
      const clip = CLIPS[p.video as string]!;
      return { width: clip.width, height: clip.height };
    }
    default:
      throw new Error(`${t.id}: no expected size`);
  }
}

interface Case {
  name: string;
  template: AnyTemplate;
  params: Record<string, unknown>;
}

function cases(): Case[] {
  const list: Case[] = [];
  for (const template of allTemplates()) {
    const small = SMALL[template.id] ?? {};
    list.push({ name: template.id, template, params: template.parse(small) as Record<string, unknown> });
    for (const variant of template.variants) {
      // Only templates with a size take one (unknown keys are refused); a variant's own width/height win.
      const sized = 'width' in (template.parse(small) as Record<string, unknown>) ? VARIANT_SIZE : {};
      const params = template.variant(variant.id, { ...small, ...sized }) as Record<string, unknown>;
      list.push({ name: `${template.id}@${variant.id}`, template, params });
    }
  }
  return list;
}

let work: string;
const inputs = new Map<string, Buffer>();

async function makeInputs(): Promise<void> {
  const names = new Set<string>();
  const videos = new Set<string>();
  for (const c of cases()) {
    const req = c.template.requirements(c.params);
    req.inputs.images.forEach((n) => names.add(n));
    req.inputs.videos.forEach((n) => videos.add(n));
  }
  for (const name of names) {
    // A mask image carries the region to regenerate in its alpha (the VACE first frame + mask).
    const base = sharp({ create: { ...IMAGE_SIZE, channels: 4, background: { r: 90, g: 140, b: 200, alpha: /mask/.test(name) ? 0.5 : 1 } } });
    inputs.set(name, await (name.endsWith('.jpg') ? base.jpeg() : base.png()).toBuffer());
  }
  for (const name of videos) {
    const clip = CLIPS[name];
    if (!clip) throw new Error(`no clip shape for ${name}`);
    const path = join(work, name);
    await runFfmpeg(['-y', '-f', 'lavfi', '-i', `testsrc=size=${clip.width}x${clip.height}:rate=${clip.fps}`, '-frames:v', String(clip.frames), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path]);
    inputs.set(name, await readFile(path));
  }
}

/**
 * An instant emulator (timeScale 0) listing exactly the case's model files, with its input files
 * uploaded. Starting one takes a few ms, so each case gets its own and no model list leaks across.
 */
async function withEmulator<T>(profile: GpuProfileId, c: Case, fn: (client: ComfyClient) => Promise<T>): Promise<T> {
  const req = c.template.requirements(c.params);
  const models: Record<string, string[]> = {};
  for (const m of req.models) (models[m.folder] ??= []).push(m.file);
  const emulator = await startEmulator({ profile, timeScale: 0, models });
  const client = new ComfyClient(emulator.url, { pollIntervalMs: 25 });
  try {
    for (const name of [...req.inputs.images, ...req.inputs.videos]) await client.uploadImage(inputs.get(name)!, { filename: name, overwrite: true });
    return await fn(client);
  } finally {
    await client.close();
    await emulator.close();
  }
}

interface Measured {
  kind: string;
  count: number;
  width: number;
  height: number;
  frames?: number;
  fps?: number;
  alpha: boolean;
}

async function measure(client: ComfyClient, files: OutputFile[], dir: string): Promise<Measured> {
  const shapes = [];
  for (const [i, file] of files.entries()) {
    const got = await client.download(file, join(dir, `${i}-${file.filename}`));
    if (file.filename.endsWith('.mp4') || file.filename.endsWith('.webm')) {
      const probe = await probeVideo(got.path);
      shapes.push({ width: probe.width, height: probe.height, frames: probe.frames, fps: probe.fps, alpha: false });
    } else {
      const meta = await sharp(got.path, { animated: true }).metadata();
      const pages = meta.pages ?? 1;
      const delays = meta.delay ?? [];
      const fps = delays.length > 0 ? Math.round(1000 / (delays.reduce((a, b) => a + b, 0) / delays.length)) : undefined;
      // Real transparency, not just a fourth band (libvips loads every animated WebP as RGBA).
      const alpha = meta.hasAlpha === true && (await sharp(got.path).stats()).channels[3]!.min < 255;
      shapes.push({ width: meta.width!, height: meta.pageHeight ?? meta.height!, frames: pages, fps, alpha });
    }
  }
  const kinds = [...new Set(files.map((f) => f.kind))].join(',');
  const first = shapes[0]!;
  for (const s of shapes) expect({ width: s.width, height: s.height }).toEqual({ width: first.width, height: first.height });
  return { kind: kinds, count: files.length, width: first.width, height: first.height, frames: first.frames, fps: first.fps, alpha: shapes.every((s) => s.alpha) };
}

const table: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'catalog-e2e-'));
  await makeInputs();
});

afterAll(async () => {
  console.log(['template → kind, size, frames/fps, result', ...table].join('\n'));
  await rm(work, { recursive: true, force: true });
});

describe('every catalogue template runs to completion on the emulator', () => {
  for (const c of cases()) {
    it(c.name, async () => {
      const out = c.template.output(c.params);
      const size = expectedSize(c.template, c.params, out);
      let row = `${c.name} → expected ${out.kind}${out.frames ? `×${out.frames}` : ''} ${size.width}×${size.height}${out.fps ? ` @${out.fps}fps` : ''}${out.alpha ? ' rgba' : ''}`;
      try {
        const measured = await withEmulator('a100-80g', c, async (client) => {
          const job = await client.submit(c.template.build(c.params));
          const result = await job.result();
          const saved = result.files.filter((f) => f.type === 'output');
          return measure(client, saved, join(work, c.name));
        });
        row += ` | got ${measured.kind}×${measured.count} ${measured.width}×${measured.height} frames ${measured.frames} @${measured.fps}${measured.alpha ? ' rgba' : ''}`;
        expect(measured.kind).toBe(out.kind === 'video' ? 'video' : 'image');
        expect(measured.count).toBe(out.kind === 'images' ? out.frames : 1);
        expect({ width: measured.width, height: measured.height }).toEqual(size);
        if (out.kind === 'video') {
          expect(measured.frames).toBe(out.frames);
          const fps = out.fps ?? CLIPS[c.params.video as string]?.fps;
          expect(measured.fps).toBe(fps);
        }
        expect(measured.alpha).toBe(out.alpha === true);
        table.push(`${row} | pass`);
      } catch (error) {
        table.push(`${row} | FAIL ${(error as Error).message.split('\n')[0]}`);
        throw error;
      }
    });
  }
});

describe('VRAM decides where the fp16 Wan 2.2 14B I2V runs', () => {
  const template = templateById('wan22-i2v-14b');
  const fp16: Case = { name: 'wan22-i2v-14b@fp16 1280×720', template, params: template.variant('fp16', { width: 1280, height: 720 }) as Record<string, unknown> };

  it('1280×720 fp16 raises torch.OutOfMemoryError on an RTX 4090', async () => {
    const error = await withEmulator('rtx4090', fp16, async (client) => {
      const job = await client.submit(template.build(fp16.params));
      return job.result().then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    expect(isOutOfMemoryError(error)).toBe(true);
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect((error as OutOfMemoryError).exceptionType).toBe('torch.OutOfMemoryError');
    expect((error as OutOfMemoryError).nodeType).toBe('KSamplerAdvanced');
  });

  it('the same graph runs on an A100 80 GB', async () => {
    const files = await withEmulator('a100-80g', fp16, async (client) => (await (await client.submit(template.build(fp16.params))).result()).files);
    expect(files.map((f) => f.kind)).toEqual(['video']);
  });
});
