import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetStore, taskHash, writeProvenance, type ProvenanceDocument } from '../../src/assets/index.js';
import { runFacts, tempProject } from './fixtures/project.js';
import { storePerTest, type TempProject } from './support/store-per-test.js';

let project: TempProject;
let store: AssetStore;
storePerTest((opened) => ({ project, store } = opened), () => store);

async function renderTwoShots() {
  const keyframe = await store.ingest(Buffer.from('qwen keyframe'));
  const keyTask = taskHash({ templateId: 'qwen-image-t2i', templateVersion: '1.0.0', params: { seed: 1 }, inputs: {} });
  await store.recordTaskOutputs(keyTask, [{ role: 'keyframe', sha256: keyframe.sha256, kind: 'image', filename: 'ComfyUI_00001_.png', bytes: keyframe.bytes }],
    runFacts('qwen-image-t2i', {}, { createdAt: '2025-01-01T00:00:00.000Z' }));
  const clip = await store.ingest(Buffer.from('hunyuan clip'));
  const clipTask = taskHash({ templateId: 'hunyuan15-i2v', templateVersion: '1.0.0', params: {}, inputs: { start_image: keyframe.sha256 } });
  await store.recordTaskOutputs(clipTask, [{ role: 'clip', sha256: clip.sha256, kind: 'video', filename: 'hv_00001_.mp4', bytes: clip.bytes }],
    runFacts('hunyuan15-i2v', {}, {
      inputs: { start_image: keyframe.sha256 }, createdAt: '2025-01-01T00:05:00.000Z',
      models: [{ file: 'hunyuanvideo1.5_720p_i2v_fp16.safetensors', folder: 'diffusion_models' }, { file: 'my_style_lora.safetensors', folder: 'loras' }],
    }));
  await store.link('shot-003/keyframe.png', keyframe.sha256);
  await store.link('shot-003/clip.mp4', clip.sha256);
  return { keyframe, clip, keyTask, clipTask };
}

describe('writeProvenance', () => {
  it('writes provenance.json with every asset, its manifest summary and its links', async () => {
    const { keyframe, clip, keyTask, clipTask } = await renderTwoShots();
    const report = await store.writeProvenance();
    expect(report.provenancePath).toBe(join(project.dir, 'provenance.json'));
    const doc = JSON.parse(await readFile(report.provenancePath, 'utf8')) as ProvenanceDocument;
    expect(doc).toMatchObject({ schema: 'storycore.provenance/1', storycoreVersion: '0.1.0', tasks: 2, commercialUse: false });
    expect(doc.assets).toEqual([
      expect.objectContaining({
        sha256: keyframe.sha256, role: 'keyframe', taskHash: keyTask, template: { id: 'qwen-image-t2i', version: '1.0.0' },
        worker: { name: 'gpu-a', gpu: 'NVIDIA GeForce RTX 4090', comfyuiVersion: '0.3.64' }, links: ['renders/shot-003/keyframe.png'],
        manifest: `.storycore/manifests/${keyframe.sha256}.json`, createdAt: '2025-01-01T00:00:00.000Z',
      }),
      expect.objectContaining({
        sha256: clip.sha256, role: 'clip', taskHash: clipTask, inputs: [{ role: 'start_image', sha256: keyframe.sha256 }], links: ['renders/shot-003/clip.mp4'],
        models: [
          { file: 'hunyuanvideo1.5_720p_i2v_fp16.safetensors', licence: 'Tencent Hunyuan Community License', commercialUse: false },
          { file: 'my_style_lora.safetensors', licence: 'unknown', commercialUse: null },
        ],
      }),
    ]);
    const qwen = doc.models.find((m) => m.file === 'qwen_image_fp8_e4m3fn.safetensors');
    expect(qwen).toMatchObject({ folder: 'diffusion_models', assets: 1, licence: { name: 'Apache-2.0', commercialUse: true } });
  });

  it('writes ATTRIBUTION.md grouped by licence, with links and commercial-use flags', async () => {
    await renderTwoShots();
    await writeProvenance(project.dir);
    const md = await readFile(join(project.dir, 'ATTRIBUTION.md'), 'utf8');
    expect(md).toMatch(/^# Attribution\n/);
    expect(md).toContain('**Not cleared for commercial use:**');
    expect(md).toContain('- HunyuanVideo 1.5 720p I2V (`hunyuanvideo1.5_720p_i2v_fp16.safetensors`): Tencent Hunyuan Community License');
    expect(md).toContain('- my_style_lora.safetensors (`my_style_lora.safetensors`): unknown (licence unknown)');

    const section = (title: string): string => {
      const start = md.indexOf(`## ${title}\n`);
      expect(start).toBeGreaterThanOrEqual(0);
      const end = md.indexOf('\n## ', start + 1);
      return md.slice(start, end < 0 ? undefined : end);
    };
    const apache = section('Apache-2.0');
    expect(md.match(/^## Apache-2\.0$/gm)).toHaveLength(1);
    expect(apache).toContain('[Apache-2.0](https://huggingface.co/Qwen/Qwen-Image/blob/main/LICENSE)');
    expect(apache).toContain('- Commercial use: yes');
    expect(apache).toMatch(/\| Qwen-Image \| `qwen_image_fp8_e4m3fn.safetensors` \| diffusion_models \| \[link\]\(https:[^)]+\) \| 1 \|/);
    const hunyuan = section('Tencent Hunyuan Community License');
    expect(hunyuan).toContain('(https://huggingface.co/tencent/HunyuanVideo-1.5/blob/main/LICENSE)');
    expect(hunyuan).toContain('- Commercial use: NO');
    expect(hunyuan).toContain('`hunyuanvideo1.5_720p_i2v_fp16.safetensors`');
    const unknown = section('Unknown licence');
    expect(unknown).toContain('- Commercial use: unknown');
    expect(unknown).toContain('| (not in catalogue) | `my_style_lora.safetensors` | loras | — | 1 |');
  });

  it('is deterministic and reflects the index when regenerated', async () => {
    await renderTwoShots();
    const first = await writeProvenance(project.dir);
    const again = await writeProvenance(project.dir);
    expect(JSON.stringify(again.document)).toBe(JSON.stringify(first.document));
    const extra = await store.ingest(Buffer.from('upscaled'));
    const hash = taskHash({ templateId: 'upscale', templateVersion: '1.0.0', params: {}, inputs: {} });
    await store.recordTaskOutputs(hash, [{ role: 'upscaled', sha256: extra.sha256, kind: 'image', filename: 'up.png', bytes: extra.bytes }], runFacts('upscale'));
    const third = await store.writeProvenance();
    expect(third.document.assets.map((a) => a.role)).toEqual(['keyframe', 'clip', 'upscaled']);
  });

  it('writes an empty provenance for a project with no index yet', async () => {
    const empty = await tempProject();
    try {
      const report = await writeProvenance(empty.dir);
      expect(report.document).toMatchObject({ tasks: 0, assets: [], models: [], commercialUse: true });
      expect(await readFile(report.attributionPath, 'utf8')).toContain('No generated assets are recorded yet.');
    } finally {
      await empty.remove();
    }
  });
});
