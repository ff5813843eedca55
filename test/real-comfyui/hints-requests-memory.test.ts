import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromWorker, preflight } from '../../src/catalog/preflight/index.js';
import { templateById } from '../../src/catalog/templates/index.js';
import { ComfyClient } from '../../src/comfy/client/index.js';
import type { PromptValidationError } from '../../src/comfy/errors/prompt-validation-error.js';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { cli, tempDir } from '../cli/support/run-cli.js';
import { missingRealComfyUI, startRealComfyUI, type RealComfyUI } from '../support/real-comfyui.js';

/** What real ComfyUI 0.3.64 (CPU, no weights) answers, against what StoryCore makes of it. */
describe.skipIf(missingRealComfyUI('nopacks'))('against real ComfyUI 0.3.64', () => {
  let comfy: RealComfyUI;
  let client: ComfyClient;

  beforeAll(async () => {
    comfy = await startRealComfyUI({ kind: 'nopacks' });
    client = new ComfyClient({ url: comfy.url, name: 'real' }, { socket: false, getRetries: 0 });
  }, 300_000);
  afterAll(async () => {
    await client?.close();
    await comfy?.stop();
  });

  it('a link cycle comes back with empty node_errors, and the error names the nodes of the cycle', async () => {
    const cyclic: ApiGraph = {
      '1': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: 1, sigma: 1 } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'cycle' } },
    };
    const err = (await client.submit(cyclic).catch((e: unknown) => e)) as PromptValidationError;
    expect(err.error.type).toBe('prompt_outputs_failed_validation');
    expect(err.nodeErrors).toEqual({});
    expect(err.hint).toBe('break the cycle 1 (ImageBlur) → 2 (ImageInvert) → 1: a node cannot take its input, directly or through other nodes, from its own output');
  });

  it('a bad combo value on a non-model input is not blamed on a missing model', async () => {
    const graph: ApiGraph = {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'ImageScale', inputs: { image: ['1', 0], upscale_method: 'super-resolution', width: 16, height: 16, crop: 'disabled' } },
      '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
    };
    const err = (await client.submit(graph).catch((e: unknown) => e)) as PromptValidationError;
    expect(err.nodeErrors['2']?.errors[0]?.type).toBe('value_not_in_list');
    expect(err.hint).not.toMatch(/install|model/);
    expect(err.hint).toContain('set node 2 upscale_method to one of the values the worker lists');
  });

  it('preflight checks memory on the CPU worker: its system RAM, as /system_stats reports it', async () => {
    const inventory = await inventoryFromWorker(client, 'real');
    const stats = await client.systemStats();
    expect(stats.devices[0]?.type).toBe('cpu');
    expect(inventory).toMatchObject({ deviceType: 'cpu', vramBytes: stats.devices[0]!.vram_total });
    const template = templateById('wan22-i2v-14b');
    const params = { precision: 'fp16' };
    const report = preflight(template.build(params), inventory, { template, params });
    const memory = report.problems.find((p) => p.kind === 'vram');
    // fp16 Wan 14B needs 33.6 GB; a CPU worker with less RAM is not "ready".
    if (stats.devices[0]!.vram_total < 33.6e9) {
      expect(memory?.message).toContain('needs about 33.6 GB of memory at fp16; the worker (CPU) has');
    } else {
      expect(memory).toBeUndefined();
    }
  });

  it('run sends a full /prompt request body: prompt_id, number, extra_data and partial_execution_targets', async () => {
    const cwd = tempDir();
    const promptId = '0b7f6a52-3c1d-4e8f-9a2b-5c6d7e8f9a01';
    const body = {
      prompt: {
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'partial' } },
        '3': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
      },
      prompt_id: promptId,
      number: 7,
      extra_data: { extra_pnginfo: { workflow: { note: 'kept' } } },
      partial_execution_targets: ['2'],
    };
    writeFileSync(join(cwd, 'request.json'), JSON.stringify(body));
    const run = await cli(['run', 'request.json', '--worker', comfy.url, '--json', '--out', 'o'], { cwd });
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { promptId: string; files: Array<{ nodeId: string; path: string }> };
    expect(report.promptId).toBe(promptId);
    expect(report.files.map((f) => f.nodeId)).toEqual(['2']);
    expect(readFileSync(report.files[0]!.path).subarray(1, 4).toString()).toBe('PNG');
    const entry = (await client.history(promptId))[promptId]!;
    const [number, id, , extraData, targets] = entry.prompt as unknown as [number, string, unknown, Record<string, unknown>, string[]];
    expect([number, id, targets]).toEqual([7, promptId, ['2']]);
    expect(extraData.extra_pnginfo).toEqual({ workflow: { note: 'kept' } });
    expect(Object.keys(entry.outputs ?? {})).toEqual(['2']);
  });
});
