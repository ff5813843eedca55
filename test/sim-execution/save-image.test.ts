import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { gpuProfile } from '../../src/catalog/cost/gpu-profiles.js';
import { createNodeExecutor } from '../../src/sim/execution/create-node-executor.js';
import { NodeFailure } from '../../src/sim/execution/node-executor.js';
import { runGraph, tempDirs } from './run-graph.js';

function executor() {
  return createNodeExecutor({ gpu: new GpuState(gpuProfile('rtx4090')) });
}

const PROMPT = 'EXT. HARBOUR - NIGHT. A lighthouse beam sweeps across the fog';

function sd15Graph(width: number, height: number, batch: number, prefix: string): ApiGraph {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly-fp16.safetensors' } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: PROMPT, clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width, height, batch_size: batch } },
    '3': {
      class_type: 'KSampler',
      inputs: { model: ['4', 0], seed: 42, steps: 3, cfg: 7, sampler_name: 'euler', scheduler: 'normal', positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0], denoise: 1 },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: prefix } },
  };
}

describe('SaveImage', () => {
  it('writes one real PNG card per batch item, with the prompt embedded and text drawn', async () => {
    const dirs = tempDirs();
    const run = await runGraph(executor(), sd15Graph(320, 192, 2, 'shots/card'), dirs);
    expect(run.ui['9']).toEqual({
      images: [
        { filename: 'card_00001_.png', subfolder: 'shots', type: 'output' },
        { filename: 'card_00002_.png', subfolder: 'shots', type: 'output' },
      ],
    });
    const file = join(dirs.output, 'shots', 'card_00001_.png');
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 320, 192]);
    // ComfyUI embeds the API prompt as a PNG text chunk.
    const bytes = readFileSync(file).toString('latin1');
    expect(bytes).toContain('tEXtprompt');
    expect(bytes).toContain('"class_type": "KSampler"');
    // The card shows text: a good share of near-white pixels on a dark background.
    const { data } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    let bright = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i]! > 200 && data[i + 1]! > 200 && data[i + 2]! > 200) bright += 1;
    expect(bright).toBeGreaterThan(200);
  });

  it('reports sampler progress once per step', async () => {
    const run = await runGraph(executor(), sd15Graph(64, 64, 1, 'p'), tempDirs());
    expect(run.progress['3']).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(run.spent['3']).toBeGreaterThan(0);
  });

  it('continues the counter after the highest existing file of that prefix only', async () => {
    const dirs = tempDirs();
    const folder = join(dirs.output, 'fixture');
    await runGraph(executor(), sd15Graph(16, 16, 1, 'fixture/rc'), dirs);
    for (const name of ['rc_00007_.png', 'rc_00003_.png', 'rcx_00099_.png', 'other_00050_.png', 'rc_00020.png']) writeFileSync(join(folder, name), '');
    const run = await runGraph(executor(), sd15Graph(16, 16, 2, 'fixture/rc'), dirs);
    expect((run.ui['9']!.images as { filename: string }[]).map((i) => i.filename)).toEqual(['rc_00008_.png', 'rc_00009_.png']);
  });

  it('refuses a prefix that leaves the output folder, like ComfyUI', async () => {
    await expect(runGraph(executor(), sd15Graph(16, 16, 1, '../escape/rc'), tempDirs())).rejects.toMatchObject({
      exceptionType: 'Exception',
      exceptionMessage: expect.stringContaining('Saving image outside the output folder is not allowed'),
    });
  });
});

describe('PreviewImage and real pixel graphs (fixture 03)', () => {
  it('LoadImage → ImageScale → ImageInvert → SaveImage writes the inverted, scaled file', async () => {
    const dirs = tempDirs();
    await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toFile(join(dirs.input, 'rc_test.png'));
    const graph: ApiGraph = {
      '1': { class_type: 'LoadImage', inputs: { image: 'rc_test.png' } },
      '2': { class_type: 'ImageScale', inputs: { image: ['1', 0], upscale_method: 'nearest-exact', width: 128, height: 96, crop: 'disabled' } },
      '3': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
      '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'fixture/rc' } },
      '5': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
    };
    const exec = createNodeExecutor({ gpu: new GpuState(gpuProfile('cpu')), random: () => 0.5 });
    const run = await runGraph(exec, graph, dirs);
    expect(run.ui['4']).toEqual({ images: [{ filename: 'rc_00001_.png', subfolder: 'fixture', type: 'output' }] });
    const preview = (run.ui['5']!.images as { filename: string; type: string; subfolder: string }[])[0]!;
    expect(preview.filename).toMatch(/^ComfyUI_temp_[a-z]{5}_00001_\.png$/);
    expect(preview).toMatchObject({ subfolder: '', type: 'temp' });
    const { data, info } = await sharp(join(dirs.output, 'fixture', 'rc_00001_.png')).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([128, 96]);
    expect([...data.subarray(0, 3)]).toEqual([0, 255, 255]);
    // Same node object, same prefix: the next preview continues that prefix's counter.
    const again = await runGraph(exec, graph, dirs);
    expect((again.ui['5']!.images as { filename: string }[])[0]!.filename).toBe(preview.filename.replace('00001', '00002'));
  });
});

describe('runtime errors (fixture 06)', () => {
  it('ImageBlur with a radius beyond the image raises torch\'s RuntimeError, and the input prints like torch', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/comfyui/06-runtime-error.json', import.meta.url), 'utf8')) as {
      events: { json?: { type?: string; data?: Record<string, unknown> } }[];
    };
    const recorded = fixture.events.find((e) => e.json?.type === 'execution_error')!.json!.data!;
    const graph: ApiGraph = {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 255 } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: 31, sigma: 1.0 } },
    };
    const error = await runGraph(executor(), graph, tempDirs()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailure);
    const failure = error as NodeFailure;
    expect(failure.exceptionType).toBe(recorded.exception_type);
    // ComfyUI reports `"{ex}\n{tips}"`; the engine adds the newline.
    expect(`${failure.exceptionMessage}\n`).toBe(recorded.exception_message);
    expect(failure.traceback.at(-1)).toContain('nodes_post_processing.py", line 98, in execute');
    // current_inputs.image of the recording is str(tensor) of the inverted blue image.
    const upstream = await runGraph(executor(), { '1': graph['1']!, '2': graph['2']! }, tempDirs());
    expect(String(upstream.outputs['2']![0])).toBe((recorded.current_inputs as { image: string[] }).image[0]);
  });
});
