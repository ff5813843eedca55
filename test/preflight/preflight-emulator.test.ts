import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesForFolder, modelByFile } from '../../src/catalog/models/index.js';
import { inventoryFromWorker, LISTABLE_FOLDERS, preflight, preflightTemplates, renderPreflightReport, type WorkerInventory } from '../../src/catalog/preflight/index.js';
import { templateById } from '../../src/catalog/templates/index.js';
import { ComfyClient } from '../../src/comfy/client/index.js';
import { extendedObjectInfo, extraNodeFiles } from '../../src/comfy/object-info/extra-nodes.js';
import type { ObjectInfo } from '../../src/comfy/object-info/types.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';

const MISSING_FILE = 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors';
const RIFE_PACK = 'ComfyUI-Frame-Interpolation';

/** Every catalogue file in the folders a worker lists, minus `missing`. */
function catalogModels(missing: string[]): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(filesForFolder())
      .filter(([folder]) => LISTABLE_FOLDERS.includes(folder))
      .map(([folder, files]) => [folder, files.filter((f) => !missing.includes(f))]),
  );
}

function withoutPack(pack: string): ObjectInfo {
  const info = { ...extendedObjectInfo() };
  const file = extraNodeFiles().find((f) => f.source.pack === pack);
  if (!file) throw new Error(`no pack ${pack}`);
  for (const cls of Object.keys(file.nodes)) delete info[cls];
  return info;
}

describe('preflight against an emulated worker', () => {
  let emulator: Emulator;
  let client: ComfyClient;
  let inventory: WorkerInventory;

  beforeAll(async () => {
    emulator = await startEmulator({ name: 'pf', timeScale: 0, models: catalogModels([MISSING_FILE]), objectInfo: withoutPack(RIFE_PACK) });
    client = new ComfyClient({ url: emulator.url, name: 'pf' }, { socket: false, getRetries: 0 });
    inventory = await inventoryFromWorker(client);
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it('gathers object_info, model folders and VRAM from the worker', () => {
    expect(inventory.name).toBe('pf');
    expect(inventory.objectInfo.KSampler).toBeDefined();
    expect(inventory.objectInfo['RIFE VFI']).toBeUndefined();
    expect(inventory.models.diffusion_models).toContain('wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors');
    expect(inventory.models.diffusion_models).not.toContain(MISSING_FILE);
    expect(inventory.vramBytes).toBeGreaterThan(20e9);
  });

  it('names the missing model file with folder, size and download URL', () => {
    const template = templateById('wan22-i2v-14b');
    const report = preflight(template.build({}), inventory, { template, params: {} });
    expect(report.ok).toBe(false);
    const problem = report.problems.find((p) => p.kind === 'missing_model');
    const catalog = modelByFile(MISSING_FILE)!.variant;
    expect(problem).toMatchObject({ folder: 'diffusion_models', file: MISSING_FILE, sizeBytes: catalog.sizeBytes, url: catalog.url, nodeId: expect.any(String) });
    // The fp16 variant of the same expert is on the worker, and so are the other fp16 files.
    expect(problem?.alternative).toMatchObject({ precision: 'fp16', setting: 'precision=fp16' });
    expect(report.toInstall.models).toEqual([{ folder: 'diffusion_models', file: MISSING_FILE, sizeBytes: catalog.sizeBytes, url: catalog.url }]);
    expect(report.toInstall.totalBytes).toBe(catalog.sizeBytes);
    // validatePrompt's value_not_in_list for the same input is not reported twice.
    expect(report.problems.filter((p) => p.kind === 'validation')).toEqual([]);
    const text = renderPreflightReport(report).join('\n');
    expect(text).toContain(catalog.url);
    expect(text).toMatch(/total download: 14\.3 GB in 1 file/);
  });

  it('names the missing node pack and its repository', () => {
    const template = templateById('rife-interpolate');
    const report = preflight(template.build({}), inventory, { template });
    const problem = report.problems.find((p) => p.kind === 'missing_node');
    expect(problem).toMatchObject({ classType: 'RIFE VFI', pack: RIFE_PACK, repository: 'https://github.com/Fannovel16/ComfyUI-Frame-Interpolation' });
    expect(problem?.fix).toContain('install ComfyUI-Frame-Interpolation');
    expect(report.toInstall.nodePacks).toEqual([{ pack: RIFE_PACK, repository: 'https://github.com/Fannovel16/ComfyUI-Frame-Interpolation', classes: ['RIFE VFI'] }]);
    expect(report.ok).toBe(false);
  });

  it('passes a template whose nodes and files are all there', () => {
    const template = templateById('sd15-t2i');
    const report = preflight(template.build({ seed: 1 }), inventory, { template, params: { seed: 1 } });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('preflights every template: which run and what each lacks', () => {
    const readiness = preflightTemplates(inventory);
    const byId = Object.fromEntries(readiness.map((r) => [r.template, r]));
    expect(byId['sd15-t2i']?.runs).toBe(true);
    expect(byId['wan22-i2v-14b']?.missing.models).toEqual([`diffusion_models/${MISSING_FILE}`]);
    expect(byId['rife-interpolate']?.missing.nodePacks).toEqual([RIFE_PACK]);
    expect(byId['wan22-t2v-14b']?.runs).toBe(true);
  });
});
