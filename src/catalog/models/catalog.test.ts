import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import {
  allModels, choosePrecision, filesForFolder, GB, modelById, modelByFile, modelSchema, NoVariantFitsError, planDownloads, UnknownModelFileError,
} from './index.js';

describe('model catalogue', () => {
  it('every model passes the schema and every variant is complete', () => {
    expect(allModels().length).toBeGreaterThan(50);
    for (const model of allModels()) {
      expect(() => modelSchema.parse(model), model.id).not.toThrow();
      for (const v of model.variants) {
        expect(v.folder && v.file && v.url, `${model.id}/${v.file}`).toBeTruthy();
        expect(v.sizeBytes).toBeGreaterThan(0);
        expect(v.vramBytes).toBeGreaterThanOrEqual(1);
        expect(v.url.startsWith('https://')).toBe(true);
      }
    }
  });

  it('covers the required families', () => {
    const ids = new Set(allModels().map((m) => m.id));
    for (const id of [
      'wan22-i2v-14b-high-noise', 'wan22-i2v-14b-low-noise', 'wan22-t2v-14b-high-noise', 'wan22-t2v-14b-low-noise', 'wan22-ti2v-5b',
      'wan21-vae', 'wan22-vae', 'umt5-xxl', 'wan22-i2v-lightx2v-4steps-high-noise', 'wan22-t2v-lightx2v-4steps-low-noise',
      'wan21-vace-14b', 'wan-alpha-rgba-lora', 'hunyuan-video-t2v-720p', 'hunyuan-video-15-720p-i2v', 'hunyuan-video-15-1080p-sr-distilled',
      'qwen-image', 'qwen-image-edit', 'qwen-image-edit-2509', 'qwen-image-layered', 'qwen-2.5-vl-7b', 'qwen-image-vae',
      'qwen-image-lightning-8steps', 'qwen-image-edit-2509-relight', 'newbie-image-exp0.1', 'gemma-3-4b-it', 'jina-clip-v2',
      'sd15', 'sdxl-base', 'sdxl-turbo', 'svd', 'controlnet-sd15-openpose', 'controlnet-sd15-depth', 'controlnet-sd15-lineart',
      'controlnet-sdxl-openpose', 'controlnet-sdxl-depth', 'controlnet-sdxl-lineart', 'ip-adapter-plus-sd15', 'clip-vit-h-14-laion2b',
      'rife-4.9', '4x-ultrasharp', 'realesrgan-x4plus',
    ]) expect(ids, id).toContain(id);
  });

  it('finds a model by file name for every variant, and by id', () => {
    for (const model of allModels()) {
      expect(modelById(model.id)).toBe(model);
      for (const v of model.variants) {
        const hit = modelByFile(v.file);
        expect(hit?.model.id).toBe(model.id);
        expect(hit?.variant).toBe(v);
      }
    }
    expect(modelByFile('nope.safetensors')).toBeUndefined();
  });

  it('knows every model file the recorded UI templates name, with the same folder', () => {
    const dir = new URL('../../../test/fixtures/ui-templates/', import.meta.url);
    for (const f of readdirSync(dir)) {
      const json = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { nodes: { properties?: { models?: { name: string; directory: string }[] } }[]; definitions?: { subgraphs?: { nodes: { properties?: { models?: { name: string; directory: string }[] } }[] }[] } };
      const nodes = [...json.nodes, ...(json.definitions?.subgraphs ?? []).flatMap((s) => s.nodes)];
      for (const m of nodes.flatMap((n) => n.properties?.models ?? [])) {
        expect(modelByFile(m.name)?.variant.folder, `${f}: ${m.name}`).toBe(m.directory);
      }
    }
  });

  it('lists files per folder', () => {
    const folders = filesForFolder();
    expect(folders.diffusion_models).toContain('wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors');
    expect(folders.vae).toEqual(expect.arrayContaining(['wan_2.1_vae.safetensors', 'wan2.2_vae.safetensors']));
    expect(folders.loras).toContain('wan2.2_t2v_lightx2v_4steps_lora_v1.1_high_noise.safetensors');
  });

  it('licence flags: Hunyuan, SVD, SDXL-Turbo non-commercial; Wan and Qwen Apache-2.0', () => {
    expect(modelById('hunyuan-video-t2v-720p')!.licence.commercialUse).toBe(false);
    expect(modelById('hunyuan-video-15-720p-t2v')!.licence.commercialUse).toBe(false);
    expect(modelById('svd')!.licence.commercialUse).toBe(false);
    expect(modelById('sdxl-turbo')!.licence.commercialUse).toBe(false);
    expect(modelById('4x-ultrasharp')!.licence.commercialUse).toBe(false);
    expect(modelById('wan22-i2v-14b-high-noise')!.licence).toMatchObject({ name: 'Apache-2.0', commercialUse: true });
    expect(modelById('qwen-image')!.licence).toMatchObject({ name: 'Apache-2.0', commercialUse: true });
    expect(modelById('sd15')!.licence.commercialUse).toBe(true);
  });
});

describe('choosePrecision', () => {
  const wan = () => modelById('wan22-i2v-14b-high-noise')!;

  it('picks fp8_scaled for Wan 2.2 14B i2v on a 24 GB worker and says why', () => {
    const choice = choosePrecision(wan(), { vramBytes: 24 * GB });
    expect(choice.variant.precision).toBe('fp8_scaled');
    expect(choice.variant.file).toBe('wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors');
    expect(choice.reason).toBe('fp8_scaled: fp16 needs 33.6 GB, worker has 24 GB');
  });

  it('picks fp16 on an 80 GB worker', () => {
    const choice = choosePrecision(wan(), { vramBytes: 80 * GB });
    expect(choice.variant.precision).toBe('fp16');
    expect(choice.reason).toBe('fp16: best precision, needs 33.6 GB of 80 GB');
  });

  it('only considers files present on the worker', () => {
    const choice = choosePrecision(wan(), { vramBytes: 80 * GB, filesPresent: ['wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors'] });
    expect(choice.variant.precision).toBe('fp8_scaled');
    expect(choice.reason).toMatch(/^fp8_scaled: fp16 fits but wan2\.2_i2v_high_noise_14B_fp16\.safetensors is not on the worker$/);
  });

  it('honours a preference that fits', () => {
    expect(choosePrecision(wan(), { vramBytes: 80 * GB, prefer: 'fp8_scaled' }).variant.precision).toBe('fp8_scaled');
  });

  it('throws a typed error when nothing fits or nothing is present', () => {
    let err: unknown;
    try { choosePrecision(wan(), { vramBytes: 12 * GB }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(NoVariantFitsError);
    expect((err as NoVariantFitsError).code).toBe('MODEL_NO_VARIANT_FITS');
    expect((err as NoVariantFitsError).message).toBe('wan22-i2v-14b-high-noise does not fit: the smallest variant (fp8_scaled) needs 19.3 GB, worker has 12 GB');
    expect(() => choosePrecision(wan(), { vramBytes: 80 * GB, filesPresent: [] })).toThrow(/no file of wan22-i2v-14b-high-noise is on the worker/);
  });
});

describe('planDownloads', () => {
  it('sums sizes, keeps URLs and drops duplicates', () => {
    const plan = planDownloads([
      { folder: 'diffusion_models', file: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors' },
      { folder: 'vae', file: 'wan_2.1_vae.safetensors' },
      { folder: 'vae', file: 'wan_2.1_vae.safetensors' },
    ]);
    expect(plan.items).toHaveLength(2);
    expect(plan.totalBytes).toBe(14.3 * GB + 0.254 * GB);
    expect(plan.items[0]!.url).toBe('https://huggingface.co/Comfy-Org/Wan_2.2_ComfyUI_Repackaged/resolve/main/split_files/diffusion_models/wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors');
    expect(plan.estimated).toBe(false);
  });

  it('rejects files it does not know or in the wrong folder', () => {
    expect(() => planDownloads([{ folder: 'loras', file: 'mystery.safetensors' }])).toThrow(UnknownModelFileError);
    expect(() => planDownloads([{ folder: 'loras', file: 'wan_2.1_vae.safetensors' }])).toThrow(/loras\/wan_2.1_vae/);
  });
});
