import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesForFolder } from '../../src/catalog/models/index.js';
import { LISTABLE_FOLDERS } from '../../src/catalog/preflight/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';

const UI_FIXTURE = new URL('../fixtures/ui-templates/image_qwen_image.json', import.meta.url).pathname;

async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { NO_COLOR: '1' },
    cwd,
    onStopSignal: () => () => {},
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storycore-cli-catalog-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('storycore models', () => {
  it('plan wan22-i2v-14b --vram 24 picks fp8 and prints the downloads and total', async () => {
    const { code, stdout } = await cli(['models', 'plan', 'wan22-i2v-14b', '--vram', '24']);
    expect(code).toBe(0);
    expect(stdout).toContain('wan22-i2v-14b-high-noise  fp8_scaled  fp8_scaled: fp16 needs 33.6 GB, worker has 24 GB');
    expect(stdout).toContain('diffusion_models/wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors  14.3 GB  https://huggingface.co/');
    expect(stdout).toMatch(/total: 35\.6 GB in 4 files/);
    expect(stdout).toContain('fits in 24 GB');
  });

  it('plan --json carries the choice, the reason and the total', async () => {
    const { code, stdout } = await cli(['models', 'plan', 'wan22-i2v-14b', '--vram', '24', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { params: { precision: string }; models: { modelId: string; precision: string }[]; totalBytes: number; fits: boolean };
    expect(plan.params.precision).toBe('fp8_scaled');
    expect(plan.models.filter((m) => m.modelId.startsWith('wan22-i2v-14b')).map((m) => m.precision)).toEqual(['fp8_scaled', 'fp8_scaled']);
    expect(plan.totalBytes).toBeGreaterThan(35e9);
    expect(plan.fits).toBe(true);
  });

  it('list --family filters the catalogue', async () => {
    const { code, stdout } = await cli(['models', 'list', '--family', 'wan22', '--json']);
    expect(code).toBe(0);
    const models = JSON.parse(stdout) as { family: string }[];
    expect(models.length).toBeGreaterThan(3);
    expect(new Set(models.map((m) => m.family))).toEqual(new Set(['wan22']));
  });
});

describe('storycore templates', () => {
  it('list --json lists the catalogue', async () => {
    const { code, stdout } = await cli(['templates', 'list', '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as { id: string; output: string }[];
    expect(list.find((t) => t.id === 'sd15-t2i')).toMatchObject({ output: 'image' });
    expect(list.find((t) => t.id === 'wan22-i2v-14b')).toMatchObject({ output: 'video' });
  });

  it('build sd15-t2i --set seed=7 prints a valid API graph with seed 7', async () => {
    const { code, stdout } = await cli(['templates', 'build', 'sd15-t2i', '--set', 'seed=7', '--set', 'prompt=a cat']);
    expect(code).toBe(0);
    const graph = JSON.parse(stdout) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
    const sampler = Object.values(graph).find((n) => n.class_type === 'KSampler')!;
    expect(sampler.inputs.seed).toBe(7);
    expect(Object.values(graph).some((n) => n.class_type === 'CLIPTextEncode' && n.inputs.text === 'a cat')).toBe(true);
  });

  it('show --json gives params with defaults, requirements and variants', async () => {
    const { code, stdout } = await cli(['templates', 'show', 'wan22-i2v-14b', '--json']);
    expect(code).toBe(0);
    const detail = JSON.parse(stdout) as { params: { name: string; default?: unknown; enum?: unknown[] }[]; requirements: { models: { url?: string }[] }; variants: { id: string }[] };
    expect(detail.params.find((p) => p.name === 'precision')).toMatchObject({ default: 'fp8_scaled', enum: ['fp8_scaled', 'fp16'] });
    expect(detail.requirements.models.every((m) => m.url?.startsWith('https://'))).toBe(true);
    expect(detail.variants.map((v) => v.id)).toContain('lightning');
  });

  it('an unknown template id is a usage error', async () => {
    const { code, stderr } = await cli(['templates', 'build', 'sd15-t2j']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: no workflow template "sd15-t2j" \(did you mean sd15-t2i/);
  });

  it('import stores a user template in the project', async () => {
    // Imported files and --project stay inside the project folder (the working directory).
    await copyFile(UI_FIXTURE, join(dir, 'workflow.json'));
    const { code, stdout } = await cli(['templates', 'import', 'workflow.json', '--name', 'qwen', '--param', 'seed=3.inputs.seed', '--project', '.', '--json'], dir);
    expect(code, stdout).toBe(0);
    const result = JSON.parse(stdout) as { id: string; path: string; format: string };
    expect(result).toMatchObject({ id: 'user:qwen', format: 'ui' });
    expect(JSON.parse(await readFile(result.path, 'utf8'))).toMatchObject({ name: 'qwen', params: { seed: { type: 'INT' } } });
  });
});

describe('storycore convert', () => {
  it('converts a UI-format template to an API prompt', async () => {
    const { code, stdout } = await cli(['convert', UI_FIXTURE]);
    expect(code).toBe(0);
    const prompt = JSON.parse(stdout) as Record<string, { class_type: string }>;
    expect(Object.values(prompt).map((n) => n.class_type)).toContain('SaveImage');
  });

  it('writes --out and reports the format with --json', async () => {
    const out = join(dir, 'api.json');
    const { code, stdout } = await cli(['convert', UI_FIXTURE, '--out', out, '--json'], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ format: 'ui', out });
    expect(Object.keys(JSON.parse(await readFile(out, 'utf8')) as object).length).toBeGreaterThan(5);
  });
});

describe('storycore preflight', () => {
  it('exits non-zero on a missing model and names it', async () => {
    const { code, stdout } = await cli(['preflight', 'wan22-i2v-14b', '--sim', '--missing-model', 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors', '--json']);
    expect(code).toBe(5);
    const result = JSON.parse(stdout) as { ok: boolean; reports: { problems: { kind: string; file?: string; url?: string }[] }[] };
    expect(result.ok).toBe(false);
    expect(result.reports[0]!.problems[0]).toMatchObject({ kind: 'missing_model', file: 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors', url: expect.stringContaining('huggingface.co') });
  });

  it('names the missing pack in text and exits 0 when everything is there', async () => {
    const missing = await cli(['preflight', 'rife-interpolate', '--sim', '--missing-pack', 'ComfyUI-Frame-Interpolation']);
    expect(missing.code).toBe(5);
    expect(missing.stdout).toContain('https://github.com/Fannovel16/ComfyUI-Frame-Interpolation');
    const ready = await cli(['preflight', 'sd15-t2i', '--sim', '--set', 'seed=3']);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toMatch(/^sd15-t2i on worker sim .*: ready/);
  });

  it('converts a UI-format graph file before checking it', async () => {
    const { code, stdout, stderr } = await cli(['preflight', UI_FIXTURE, '--sim', '--expect', 'image']);
    expect(code, stdout).toBe(0);
    expect(stderr).toContain('converted a UI-format workflow');
  });
});

describe('storycore models check', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    const models = Object.fromEntries(Object.entries(filesForFolder()).filter(([f]) => LISTABLE_FOLDERS.includes(f)));
    models.checkpoints = models.checkpoints!.filter((f) => f !== 'sd_xl_base_1.0.safetensors');
    emulator = await startEmulator({ timeScale: 0, models });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('lists what each template lacks on the worker', async () => {
    const { code, stdout } = await cli(['models', 'check', '--worker', emulator.url, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { templates: { template: string; runs: boolean; missing: { models: string[] } }[] };
    const sdxl = result.templates.find((t) => t.template === 'sdxl-t2i');
    expect(sdxl).toMatchObject({ runs: false, missing: { models: ['checkpoints/sd_xl_base_1.0.safetensors'] } });
    expect(result.templates.find((t) => t.template === 'sd15-t2i')?.runs).toBe(true);
  });
});
