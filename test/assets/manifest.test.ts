import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetStore, assetManifestSchema, buildTaskManifest, taskHash, type TaskOutput } from '../../src/assets/index.js';
import { storycoreVersion } from '../../src/assets/storycore-version.js';
import { runFacts } from './fixtures/project.js';
import { storePerTest, type TempProject } from './support/store-per-test.js';

let project: TempProject;
let store: AssetStore;
storePerTest((opened) => ({ project, store } = opened), () => store);

const KEYFRAME = 'c'.repeat(64);

describe('asset manifests', () => {
  it('writes a schema-valid sidecar per output with graph, params, seeds, worker, timings and inputs', async () => {
    const clip = await store.ingest(Buffer.from('wan clip'));
    const output: TaskOutput = { role: 'clip', sha256: clip.sha256, kind: 'video', filename: 'Wan2.2_i2v_00001_.mp4', bytes: clip.bytes };
    const facts = runFacts('wan22-i2v-14b', { seed: 1234 }, { inputs: { start_image: KEYFRAME } });
    const hash = taskHash({ templateId: facts.templateId, templateVersion: facts.templateVersion, params: facts.params, inputs: { start_image: KEYFRAME } });
    await store.recordTaskOutputs(hash, [output], facts);

    const raw: unknown = JSON.parse(await readFile(join(project.dir, '.storycore', 'manifests', `${clip.sha256}.json`), 'utf8'));
    const manifest = assetManifestSchema.parse(raw);
    expect(manifest).toMatchObject({
      schema: 'storycore.manifest/1',
      taskHash: hash,
      template: { id: 'wan22-i2v-14b', version: '1.0.0' },
      asset: output,
      outputs: [output],
      worker: { name: 'gpu-a', url: 'http://127.0.0.1:8188', gpu: 'NVIDIA GeForce RTX 4090', comfyuiVersion: '0.3.64' },
      timings: { queuedMs: 12, uploadingMs: 40, executingMs: 91_000, downloadingMs: 350, perNodeMs: { '3': 45_000 } },
      promptId: facts.promptId,
      createdAt: '2025-01-02T03:04:05.000Z',
      inputs: [{ role: 'start_image', sha256: KEYFRAME }],
      storycoreVersion: storycoreVersion(),
    });
    expect(manifest.graph).toEqual(facts.graph);
    expect(manifest.params).toEqual(facts.params);
    expect(manifest.params.seed).toBe(1234);
    // The two KSamplerAdvanced passes carry the seed as noise_seed; both are found in the graph.
    const graphSeeds = Object.entries(manifest.seeds).filter(([key]) => key !== 'params.seed');
    expect(graphSeeds.length).toBeGreaterThan(0);
    for (const [key, value] of graphSeeds) {
      const [node, input] = key.split('.');
      expect(facts.graph[node!]!.inputs[input!]).toBe(value);
    }
    expect(manifest.seeds['params.seed']).toBe(1234);
    expect(storycoreVersion()).toBe('0.1.0');
  });

  it('lists the models the graph loads with sizes and licences from the catalogue', () => {
    const manifest = buildTaskManifest('d'.repeat(64), [], runFacts('wan22-i2v-14b'));
    const files = manifest.models.map((m) => m.file).sort();
    expect(files).toEqual([
      'umt5_xxl_fp8_e4m3fn_scaled.safetensors',
      'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
      'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors',
      'wan_2.1_vae.safetensors',
    ]);
    const high = manifest.models.find((m) => m.file === 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors')!;
    expect(high).toMatchObject({ folder: 'diffusion_models', sizeBytes: 14_300_000_000, licence: { name: 'Apache-2.0', commercialUse: true } });
    expect(high.modelId).toMatch(/wan22/);
    expect(high.licence.url).toMatch(/^https:\/\//);
  });

  it('records non-commercial licences as such, and unknown files as licence "unknown"', () => {
    const facts = runFacts('hunyuan15-i2v');
    const manifest = buildTaskManifest('e'.repeat(64), [], {
      ...facts,
      models: [
        { file: 'hunyuanvideo1.5_720p_i2v_fp16.safetensors', folder: 'diffusion_models', sizeBytes: 16_000_000_123, sha256: 'F'.repeat(64) },
        { file: 'my_style_lora.safetensors', folder: 'loras', sizeBytes: 151_000_000 },
      ],
    });
    expect(manifest.models).toEqual([
      {
        file: 'hunyuanvideo1.5_720p_i2v_fp16.safetensors', folder: 'diffusion_models', modelId: 'hunyuan-video-15-720p-i2v', name: 'HunyuanVideo 1.5 720p I2V',
        sizeBytes: 16_000_000_123, sha256: 'f'.repeat(64),
        licence: expect.objectContaining({ name: 'Tencent Hunyuan Community License', commercialUse: false, url: 'https://huggingface.co/tencent/HunyuanVideo-1.5/blob/main/LICENSE' }),
      },
      { file: 'my_style_lora.safetensors', folder: 'loras', sizeBytes: 151_000_000, licence: { name: 'unknown', commercialUse: null } },
    ]);
  });

  it('rejects facts that break the schema, naming the field', () => {
    const facts = runFacts('sdxl-t2i');
    expect(() => buildTaskManifest('f'.repeat(64), [], { ...facts, promptId: '' })).toThrow(/promptId/);
    expect(() => buildTaskManifest('f'.repeat(64), [], { ...facts, timings: { executingMs: -1 } })).toThrow(/timings.executingMs/);
    expect(() => buildTaskManifest('f'.repeat(64), [], { ...facts, inputs: { start_image: 'not-a-hash' } })).toThrow(/inputs.0.sha256/);
  });
});
