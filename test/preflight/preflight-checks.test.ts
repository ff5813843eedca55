import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filesForFolder, GB } from '../../src/catalog/models/index.js';
import { checkGraphInput, inventoryFromObjectInfo, inventoryFromWorker, type InventorySource, LISTABLE_FOLDERS, modelsFromObjectInfo, preflight, type WorkerInventory } from '../../src/catalog/preflight/index.js';
import { templateById } from '../../src/catalog/templates/index.js';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { applyModelLists } from '../../src/comfy/object-info/model-lists.js';

function inventory(edit: (models: Record<string, string[]>) => void = () => {}, vramGb = 24): WorkerInventory {
  const models = Object.fromEntries(Object.entries(filesForFolder()).filter(([f]) => LISTABLE_FOLDERS.includes(f)).map(([f, files]) => [f, [...files]]));
  edit(models);
  return inventoryFromObjectInfo(extendedObjectInfo(), { name: 'offline', models, vramBytes: vramGb * GB, gpuName: 'Test GPU' });
}

const remove = (models: Record<string, string[]>, folder: string, file: string) => {
  models[folder] = models[folder]!.filter((f) => f !== file);
};

describe('model files', () => {
  it('finds a checkpoint put in the wrong folder', () => {
    const inv = inventory((m) => {
      remove(m, 'checkpoints', 'v1-5-pruned-emaonly-fp16.safetensors');
      m.diffusion_models!.push('v1-5-pruned-emaonly-fp16.safetensors');
    });
    const template = templateById('sd15-t2i');
    const report = preflight(template.build({}), inv, { template });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({
      kind: 'wrong_folder',
      folder: 'checkpoints',
      file: 'v1-5-pruned-emaonly-fp16.safetensors',
      foundAt: { folder: 'diffusion_models', file: 'v1-5-pruned-emaonly-fp16.safetensors' },
    });
    expect(report.problems[0]!.message).toContain('found in diffusion_models/, expected checkpoints/');
    expect(report.toInstall.models).toEqual([]);
  });

  it('finds a file kept in a subfolder under the same name', () => {
    const inv = inventory((m) => {
      remove(m, 'vae', 'wan_2.1_vae.safetensors');
      m.vae!.push('wan/wan_2.1_vae.safetensors');
    });
    const template = templateById('wan22-t2v-14b');
    const report = preflight(template.build({}), inv, { template });
    expect(report.problems.map((p) => p.kind)).toEqual(['wrong_folder']);
    expect(report.problems[0]!.foundAt).toEqual({ folder: 'vae', file: 'wan/wan_2.1_vae.safetensors' });
    expect(report.problems[0]!.fix).toContain("set node");
  });

  it('points to the precision variant the worker has', () => {
    const inv = inventory((m) => {
      remove(m, 'diffusion_models', 'wan2.2_i2v_high_noise_14B_fp16.safetensors');
      remove(m, 'diffusion_models', 'wan2.2_i2v_low_noise_14B_fp16.safetensors');
    }, 80);
    const template = templateById('wan22-i2v-14b');
    const params = { precision: 'fp16' };
    const report = preflight(template.build(params), inv, { template, params });
    const missing = report.problems.filter((p) => p.kind === 'missing_model');
    expect(missing.map((p) => p.file).sort()).toEqual(['wan2.2_i2v_high_noise_14B_fp16.safetensors', 'wan2.2_i2v_low_noise_14B_fp16.safetensors']);
    for (const p of missing) {
      expect(p.alternative).toMatchObject({ precision: 'fp8_scaled', setting: 'precision=fp8_scaled' });
      expect(p.message).toContain('the worker has the fp8_scaled variant');
      expect(p.fix).toMatch(/^use --set precision=fp8_scaled/);
    }
    expect(report.toInstall.totalBytes).toBe(2 * 28.6 * GB);
  });

  it('without a template, says which file to load instead', () => {
    const inv = inventory((m) => remove(m, 'checkpoints', 'v1-5-pruned-emaonly-fp16.safetensors'));
    const graph = templateById('sd15-t2i').build({});
    const problem = preflight(graph, inv).problems[0]!;
    expect(problem).toMatchObject({ kind: 'missing_model', alternative: { file: 'v1-5-pruned-emaonly.safetensors', precision: 'fp32' } });
    expect(problem.fix).toContain("input ckpt_name to 'v1-5-pruned-emaonly.safetensors'");
  });

  it('reads model folders from a saved object_info', () => {
    const info = applyModelLists(extendedObjectInfo(), { checkpoints: ['a.safetensors'], diffusion_models: ['b.safetensors'], vae_approx: ['taesd_encoder.pth', 'taesd_decoder.pth'] });
    const models = modelsFromObjectInfo(info);
    expect(models.checkpoints).toEqual(['a.safetensors']);
    expect(models.diffusion_models).toEqual(['b.safetensors']);
    expect(models.vae).toEqual([]);
  });
});

describe('validation, output kind and VRAM', () => {
  it('renders the remaining validation errors readably', () => {
    const graph = templateById('sd15-t2i').build({}) as ApiGraph;
    const sampler = Object.entries(graph).find(([, n]) => n.class_type === 'KSampler')!;
    sampler[1].inputs.steps = 0;
    sampler[1].inputs.sampler_name = 'no_such_sampler';
    const report = preflight(graph, inventory());
    const lines = report.problems.filter((p) => p.kind === 'validation').map((p) => p.message);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^node ${sampler[0]} \\(KSampler.*input steps: value 0 smaller than min of 1`)),
        expect.stringContaining("input sampler_name: value not in list: 'no_such_sampler'"),
      ]),
    );
  });

  it('flags a graph that only previews when a saved image is expected', () => {
    const graph = templateById('sd15-t2i').build({}) as ApiGraph;
    const save = Object.values(graph).find((n) => n.class_type === 'SaveImage')!;
    save.class_type = 'PreviewImage';
    delete save.inputs.filename_prefix;
    const report = preflight(graph, inventory(), { expectedOutput: 'image' });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ kind: 'output_kind', classType: 'PreviewImage' });
    expect(report.problems[0]!.fix).toContain('SaveImage');
  });

  it('flags an image graph where a video is expected', () => {
    const report = preflight(templateById('sd15-t2i').build({}), inventory(), { expectedOutput: 'video' });
    expect(report.problems.map((p) => p.kind)).toEqual(['output_kind']);
    expect(report.problems[0]!.message).toContain('SaveImage');
    expect(preflight(templateById('wan22-t2v-14b').build({}), inventory(), { expectedOutput: 'video' }).ok).toBe(true);
  });

  it("says when the template's estimate exceeds the worker's VRAM, with choosePrecision's reason", () => {
    const template = templateById('wan22-i2v-14b');
    const params = { precision: 'fp16' };
    const report = preflight(template.build(params), inventory(() => {}, 22), { template, params });
    const vram = report.problems.find((p) => p.kind === 'vram');
    expect(vram?.message).toContain('33.6 GB of VRAM at fp16');
    expect(vram?.fix).toContain('use --set precision=fp8_scaled (fp8_scaled: fp16 needs 33.6 GB, worker has 22 GB)');
    expect(preflight(template.build({}), inventory(() => {}, 22), { template }).ok).toBe(true);
  });

  it('names the nodes of a link cycle, which ComfyUI rejects without a node error', () => {
    const graph: ApiGraph = {
      '1': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: 1, sigma: 1 } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } },
    };
    const report = preflight(graph, inventory());
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ kind: 'validation', nodeId: '1' });
    expect(report.problems[0]!.message).toBe('nodes 1 (ImageBlur) → 2 (ImageInvert) → 1 form a cycle: prompt outputs failed validation');
    expect(report.problems[0]!.fix).toContain('break the cycle 1 (ImageBlur) → 2 (ImageInvert) → 1');
  });

  it('checks memory on a CPU worker too: its /system_stats vram_total is system RAM', async () => {
    // devices[0] as ComfyUI 0.3.64 --cpu reported it (fixture 01-introspection): 23.5 GiB of RAM.
    const ram = 25276502016;
    const models = inventory().models;
    const source = {
      objectInfo: async () => extendedObjectInfo(),
      models: async (folder?: string) => (folder ? models[folder] ?? [] : Object.keys(models)),
      systemStats: async () => ({
        system: { os: 'posix', ram_total: ram, ram_free: ram, comfyui_version: '0.3.64', python_version: '3.11', pytorch_version: '2', embedded_python: false, argv: ['main.py', '--cpu'] },
        devices: [{ name: 'cpu', type: 'cpu', index: null, vram_total: ram, vram_free: ram, torch_vram_total: ram, torch_vram_free: ram }],
      }),
    } as unknown as InventorySource;
    const cpu = await inventoryFromWorker(source, 'cpu-worker');
    expect(cpu).toMatchObject({ vramBytes: ram, deviceType: 'cpu' });
    expect(cpu.gpuName).toBeUndefined();
    const template = templateById('wan22-i2v-14b');
    const params = { precision: 'fp16' };
    const report = preflight(template.build(params), cpu, { template, params });
    expect(report.ok).toBe(false);
    const memory = report.problems.find((p) => p.kind === 'vram');
    expect(memory).toMatchObject({ neededBytes: Math.round(33.6 * GB), availableBytes: ram });
    expect(memory?.message).toBe('wan22-i2v-14b needs about 33.6 GB of memory at fp16; the worker (CPU) has 25.3 GB of RAM');
  });
});

describe('checkGraphInput', () => {
  const ui = JSON.parse(readFileSync(new URL('../fixtures/ui-templates/image_qwen_image.json', import.meta.url), 'utf8')) as unknown;

  it('explains a UI-format workflow when no node definitions are given', () => {
    const result = checkGraphInput(ui);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.format).toBe('ui');
    expect(result.message).toMatch(/^this is a UI-format workflow saved from the ComfyUI editor/);
    expect(result.fix).toContain('Export (API)');
  });

  it('converts it with object_info, and the result preflights', () => {
    const result = checkGraphInput(ui, { objectInfo: extendedObjectInfo() });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.format).toBe('ui');
    expect(Object.values(result.graph).some((n) => n.class_type === 'SaveImage')).toBe(true);
    expect(preflight(result.graph, inventory(), { expectedOutput: 'image' }).ok).toBe(true);
  });

  it('names the pack of a node class the definitions lack', () => {
    const wf = { nodes: [{ id: 1, type: 'RIFE VFI', mode: 0, inputs: [], outputs: [], widgets_values: [] }], links: [], version: 0.4 };
    const info = { ...extendedObjectInfo() };
    delete info['RIFE VFI'];
    const result = checkGraphInput(wf, { objectInfo: info });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('needs ComfyUI-Frame-Interpolation (https://github.com/Fannovel16/ComfyUI-Frame-Interpolation)');
  });

  it('passes an API graph and unwraps a /prompt body', () => {
    const graph = templateById('sd15-t2i').build({});
    expect(checkGraphInput(graph)).toMatchObject({ ok: true, format: 'api', graph });
    expect(checkGraphInput({ prompt: graph, client_id: 'x' })).toMatchObject({ ok: true, graph });
    expect(checkGraphInput([1, 2]).ok).toBe(false);
  });
});
