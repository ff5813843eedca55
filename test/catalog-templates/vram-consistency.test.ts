import { describe, expect, it } from 'vitest';
import { isLink, type ApiGraph, type ApiNode } from '../../src/comfy/graph.js';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { GB, modelByFile } from '../../src/catalog/models/index.js';
import { inventoryFromObjectInfo, planTemplateModels, preflight } from '../../src/catalog/preflight/index.js';
import { checkVram } from '../../src/catalog/preflight/vram-check.js';
import { allTemplates, templateById } from '../../src/catalog/templates/index.js';
import type { AnyTemplate, SamplingWorkload } from '../../src/catalog/templates/template.js';
import { GpuState } from '../../src/sim/cost/gpu-state.js';
import { gpuProfile, type GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';
import { modelCost, weightsWithDtype } from '../../src/catalog/cost/model-costs.js';
import { samplerActivationBytes, type SamplerWork } from '../../src/catalog/cost/sampler-cost.js';
import type { NodeExecutionContext } from '../../src/sim/execution/node-executor.js';
import { NodeFailure } from '../../src/sim/execution/node-executor.js';
import { latentFromInputs } from '../../src/sim/execution/nodes/latents.js';

/**
 * One source of truth for VRAM: the template estimate (preflight's check (e)) is derived from the
 * model catalogue, and it must agree with the emulator's OOM rule (GpuState.activations: the
 * sampled model's weights + one pass's activations must fit the card minus its reserved bytes).
 * Where the two cannot agree exactly, preflight is the conservative side: it may refuse a run
 * the emulator would survive, never accept one the emulator would fail.
 */

const objectInfo = extendedObjectInfo();
const PROFILES: GpuProfileId[] = ['rtx4090', 'rtx5090', 'a100-80g'];
const SAMPLERS = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced']);

function upstream(graph: ApiGraph, value: unknown): ApiNode | undefined {
  return isLink(value) ? graph[value[0]] : undefined;
}

/** The loader at the root of a sampler's MODEL chain (LoRAs, ModelSampling*, CFGNorm… pass it through). */
function loaderOf(graph: ApiGraph, sampler: ApiNode): { classType: string; file: string; weightDtype?: string } | undefined {
  let node = sampler.class_type === 'SamplerCustomAdvanced' ? upstream(graph, sampler.inputs.guider) : sampler;
  for (let hops = 0; node && hops < 20; hops += 1) {
    const file = node.inputs.unet_name ?? node.inputs.ckpt_name;
    if (typeof file === 'string') {
      const dtype = node.inputs.weight_dtype;
      return { classType: node.class_type, file, ...(typeof dtype === 'string' ? { weightDtype: dtype } : {}) };
    }
    node = upstream(graph, node.inputs.model);
  }
  return undefined;
}

/** The emulator's latent for a sampler when the graph states its size; else undefined (it follows an input file). */
function emulatorLatent(graph: ApiGraph, sampler: ApiNode): SamplingWorkload | undefined {
  let node = upstream(graph, sampler.inputs.latent_image);
  while (node && SAMPLERS.has(node.class_type)) node = upstream(graph, node.inputs.latent_image);
  if (!node || typeof node.inputs.width !== 'number' || typeof node.inputs.height !== 'number') return undefined;
  const def = objectInfo[node.class_type]!;
  const literals = Object.fromEntries(Object.entries(node.inputs).filter(([, v]) => !isLink(v)));
  const latent = latentFromInputs({ classType: node.class_type, def, inputs: literals, nodeId: '0' } as unknown as NodeExecutionContext);
  return { width: latent.width, height: latent.height, frames: latent.frames, batch: latent.batch };
}

const pixels = (w: SamplingWorkload) => w.width * w.height * Math.max(1, w.frames ?? 1) * Math.max(1, w.batch ?? 1);

interface EmulatorRun {
  oom: boolean;
  /** Largest weights + activations + reserved bytes over the samplers: what the card must have. */
  needBytes: number;
}

/** Runs every sampler's memory check on a fresh emulated GPU, as the emulator's sampler handler does. */
function emulate(template: AnyTemplate, params: Record<string, unknown>, profileId: GpuProfileId): EmulatorRun {
  const graph = template.build(params);
  const workload = template.estimate(params).workload;
  const profile = gpuProfile(profileId);
  const gpu = new GpuState(profile);
  let oom = false;
  let needBytes = 0;
  for (const sampler of Object.values(graph).filter((n) => SAMPLERS.has(n.class_type))) {
    const loader = loaderOf(graph, sampler)!;
    const cost = modelCost(loader.file, 'diffusion');
    const bytes = loader.classType === 'UNETLoader' ? weightsWithDtype(cost, loader.weightDtype) : cost.weightsBytes;
    const latent = emulatorLatent(graph, sampler) ?? workload!;
    const work: SamplerWork = { width: latent.width, height: latent.height, frames: latent.frames ?? 1, batch: latent.batch ?? 1, cfg: 1 };
    const activation = samplerActivationBytes(cost, work);
    needBytes = Math.max(needBytes, bytes + activation + profile.reservedBytes);
    try {
      gpu.activations([{ key: loader.file, bytes }], activation);
    } catch (error) {
      if (!(error instanceof NodeFailure)) throw error;
      oom = true;
    }
  }
  return { oom, needBytes };
}

function preflightAccepts(template: AnyTemplate, params: Record<string, unknown>, profileId: GpuProfileId): boolean {
  const inventory = inventoryFromObjectInfo(objectInfo, { models: {}, vramBytes: gpuProfile(profileId).vramBytes });
  return checkVram(template.build(params), inventory, template, params).length === 0;
}

describe('VRAM: one source of truth', () => {
  const templates = allTemplates();

  it('every file a template loads by default is in the model catalogue (the estimates come from it)', () => {
    for (const t of templates) for (const m of t.requirements().models) expect(modelByFile(m.file), `${t.id}: ${m.file}`).toBeDefined();
  });

  it.each(templates.map((t) => [t.id, t] as const))('%s: the estimate is for the workload its graph samples', (_id, template) => {
    const graph = template.build({});
    const workload = template.estimate().workload;
    for (const sampler of Object.values(graph).filter((n) => SAMPLERS.has(n.class_type))) {
      expect(workload, 'a template with a sampler states its workload').toBeDefined();
      const latent = emulatorLatent(graph, sampler);
      if (latent) expect(pixels(latent)).toBe(pixels(workload!));
    }
  });

  it.each(templates.flatMap((t) => PROFILES.map((p) => [t.id, p, t] as const)))(
    '%s on %s at default params: preflight accepts exactly when the emulator does not run out of memory',
    (_id, profile, template) => {
      const accepts = preflightAccepts(template, {}, profile);
      const { oom } = emulate(template, {}, profile);
      expect(accepts).toBe(!oom);
    },
  );

  it.each(templates.map((t) => [t.id, t] as const))('%s: the estimate covers what the emulator needs (preflight is the conservative side)', (_id, template) => {
    const { needBytes } = emulate(template, {}, 'a100-80g');
    const estimate = Math.min(...Object.values(template.estimate().vramGb).filter((v): v is number => v !== undefined));
    const built = checkVram(template.build({}), inventoryFromObjectInfo(objectInfo, { models: {}, vramBytes: 1 }), template, {})[0]?.neededBytes ?? estimate * GB;
    expect(built).toBeGreaterThanOrEqual(needBytes);
  });

  // The catalogue grows only the working set above its fixed 1 GB with the workload; an emulator
  // row whose activationBytes is larger than that outgrows the estimate above the reference.
  it.each([
    ['wan22-ti2v-5b', { width: 1920, height: 1056 }],
    ['qwen-image-t2i', { width: 1920, height: 1920 }],
    ['qwen-image-t2i', { width: 1328, height: 1328, batchSize: 4 }],
    ['sd15-t2i', { width: 1024, height: 1024 }],
    ['wan22-i2v-14b', { width: 1280, height: 720 }],
  ] as const)('%s at %o (above the catalogue workload): the estimate still covers the emulator', (id, params) => {
    const template = templateById(id);
    const built = checkVram(template.build(params), inventoryFromObjectInfo(objectInfo, { models: {}, vramBytes: 1 }), template, params)[0]?.neededBytes;
    expect(built).toBeDefined();
    expect(built!).toBeGreaterThanOrEqual(emulate(template, params, 'a100-80g').needBytes);
  });

  it('every variant: when preflight accepts, the emulator runs (never the other way round)', () => {
    for (const template of templates) {
      for (const variant of template.variants) {
        const params = template.variant(variant.id) as Record<string, unknown>;
        for (const profile of PROFILES) {
          if (preflightAccepts(template, params, profile)) expect(emulate(template, params, profile).oom, `${template.id} --variant ${variant.id} on ${profile}`).toBe(false);
        }
      }
    }
  });
});

describe('wan22-i2v-14b fp16 on a 24 GB card', () => {
  const template = templateById('wan22-i2v-14b');
  const vram24 = 24 * GB;

  it('the template estimate is the catalogue figure: fp16 33.6 GB, fp8_scaled 19.3 GB at 640×640×81', () => {
    const expert = modelByFile('wan2.2_i2v_high_noise_14B_fp16.safetensors')!;
    expect(template.estimate({ precision: 'fp16' }).vramGb).toEqual({ fp16: expert.variant.vramBytes / GB, fp8: 19.3 });
  });

  it('preflight refuses fp16 and models plan picks fp8_scaled: the two agree', () => {
    const report = preflight(template.build({ precision: 'fp16' }), inventoryFromObjectInfo(objectInfo, { vramBytes: vram24 }), { template, params: { precision: 'fp16' } });
    expect(report.problems.find((p) => p.kind === 'vram')?.message).toContain('33.6 GB of VRAM at fp16');
    const plan = planTemplateModels(template, { vramBytes: vram24 });
    expect(plan.params.precision).toBe('fp8_scaled');
    expect(plan.models.filter((m) => m.role === 'diffusion_model').map((m) => m.precision)).toEqual(['fp8_scaled', 'fp8_scaled']);
    expect(plan.estimate).toEqual({ key: 'fp8', gb: 19.3 });
    expect(plan.fits).toBe(true);
    expect(checkVram(template.build(plan.params), inventoryFromObjectInfo(objectInfo, { vramBytes: vram24 }), template, plan.params)).toEqual([]);
  });

  it('grows with resolution × frames above the catalogue workload, never below the catalogue figure', () => {
    const at = (params: Record<string, unknown>) => template.estimate({ precision: 'fp16', ...params }).vramGb.fp16!;
    expect(at({ width: 320, height: 320 })).toBe(33.6);
    // 1280×720×81 is 2.25× the pixels: 28.6 GB weights + 1 GB fixed + 4 GB × 2.25 activations.
    expect(at({ width: 1280, height: 720 })).toBe(38.6);
    expect(at({ duration: 10 })).toBeGreaterThan(at({}));
  });
});
