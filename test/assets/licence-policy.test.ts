import { describe, expect, it } from 'vitest';
import { assertLicences, checkLicences, LicencePolicyError, plannedModels } from '../../src/assets/index.js';
import { templateById } from '../../src/catalog/templates/index.js';

const models = (templateId: string) => templateById(templateId).requirements({}).models;

describe('licence policy', () => {
  it('accepts a Wan 2.2 clip template in a commercial project', () => {
    expect(checkLicences({ commercial: true, models: models('wan22-i2v-14b') })).toEqual({ ok: true, violations: [] });
  });

  it('refuses HunyuanVideo 1.5 in a commercial project, naming model, licence, place and fix', () => {
    const result = checkLicences({ commercial: true, models: plannedModels([{ templateId: 'hunyuan15-i2v', usedBy: 'shot-003 clip' }, { templateId: 'hunyuan15-i2v', usedBy: 'shot-004 clip' }]) });
    expect(result.ok).toBe(false);
    const diffusion = result.violations.find((v) => v.file === 'hunyuanvideo1.5_720p_i2v_fp16.safetensors')!;
    expect(diffusion).toMatchObject({
      folder: 'diffusion_models', model: 'HunyuanVideo 1.5 720p I2V', modelId: 'hunyuan-video-15-720p-i2v',
      licence: 'Tencent Hunyuan Community License', reason: 'non-commercial', usedBy: ['shot-003 clip', 'shot-004 clip'],
    });
    expect(diffusion.message).toMatch(/^HunyuanVideo 1\.5 720p I2V \(Tencent Hunyuan Community License\) forbids commercial use in shot-003 clip, shot-004 clip: choose Wan 2\.2 14B image to video \(wan22-i2v-14b\)/);
    expect(diffusion.message).toContain('or set commercial: false');
    // The VAE is Hunyuan-licensed too; the Apache/MIT text encoders and SigCLIP pass.
    expect(result.violations.map((v) => v.file).sort()).toEqual(['hunyuanvideo1.5_720p_i2v_fp16.safetensors', 'hunyuanvideo15_vae_fp16.safetensors']);
  });

  it('refuses an SVD checkpoint and suggests a commercial image-to-video template even without a template id', () => {
    const [violation] = checkLicences({ commercial: true, models: [{ file: 'svd_xt.safetensors', folder: 'checkpoints' }] }).violations;
    expect(violation).toMatchObject({ model: 'Stable Video Diffusion img2vid-xt (25 frames)', licence: 'Stable Video Diffusion Non-Commercial Community License' });
    expect(violation!.message).toContain('in this commercial project: choose Wan 2.2 14B image to video (wan22-i2v-14b)');
  });

  it('allows the same models in a non-commercial project', () => {
    expect(checkLicences({ commercial: false, models: [...models('hunyuan15-i2v'), ...models('svd-i2v'), { file: 'mystery.safetensors', folder: 'loras' }] }).ok).toBe(true);
  });

  it('refuses unknown files in a commercial project unless allowUnknown names them', () => {
    const planned = [...models('wan22-i2v-14b'), { file: 'my_style_lora.safetensors', folder: 'loras', usedBy: 'shot-001 keyframe' }];
    const refused = checkLicences({ commercial: true, models: planned });
    expect(refused.violations).toEqual([expect.objectContaining({ file: 'my_style_lora.safetensors', model: 'my_style_lora.safetensors', licence: 'unknown', reason: 'unknown-licence' })]);
    expect(refused.violations[0]!.message).toContain("allowUnknown: ['my_style_lora.safetensors']");
    expect(checkLicences({ commercial: true, models: planned, allowUnknown: ['my_style_lora.safetensors'] }).ok).toBe(true);
    expect(checkLicences({ commercial: true, models: planned, allowUnknown: ['other.safetensors'] }).ok).toBe(false);
    expect(checkLicences({ commercial: true, models: planned, allowUnknown: true }).ok).toBe(true);
  });

  it('assertLicences throws a typed LicencePolicyError listing every violation', () => {
    const error = (() => {
      try {
        assertLicences({ commercial: true, models: plannedModels([{ templateId: 'hunyuan15-t2v', usedBy: 'shot-007 clip' }, { templateId: 'sdxl-turbo-t2i', usedBy: 'shot-007 keyframe' }]) });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LicencePolicyError);
    const policy = error as LicencePolicyError;
    expect(policy.code).toBe('LICENCE_POLICY_VIOLATION');
    expect(policy.violations.map((v) => v.model)).toEqual(expect.arrayContaining(['HunyuanVideo 1.5 720p T2V', 'HunyuanVideo 1.5 VAE', 'SDXL-Turbo']));
    expect(policy.message).toContain('HunyuanVideo 1.5 720p T2V (Tencent Hunyuan Community License) forbids commercial use in shot-007 clip: choose Wan 2.2 14B text to video (wan22-t2v-14b)');
    expect(policy.message).toMatch(/\(Stability AI Non-Commercial Research Community License\) forbids commercial use in shot-007 keyframe: choose Qwen-Image text to image \(qwen-image-t2i\)/);
    expect(policy.hint).toContain('commercial: false');
    expect(() => assertLicences({ commercial: true, models: models('qwen-image-t2i') })).not.toThrow();
  });
});
