import { describe, expect, it } from 'vitest';
import { isLink, type ApiGraph } from '../../src/comfy/graph.js';
import { allTemplates, templateById, TemplateParamsError, UnknownTemplateError, CAPABILITIES } from '../../src/catalog/templates/index.js';
import { modelByFile } from '../../src/catalog/models/index.js';
import { validateOnMatchingWorker } from './validate-graph.js';

const REQUIRED_IDS = [
  'wan22-i2v-14b', 'wan22-t2v-14b', 'wan22-ti2v-5b', 'wan-vace-inpaint', 'wan22-flf2v', 'wan-alpha',
  'hunyuan15-t2v', 'hunyuan15-i2v', 'hunyuan15-sr', 'qwen-image-t2i', 'qwen-image-edit', 'qwen-image-edit-2509',
  'qwen-relight', 'qwen-image-layered', 'newbie-anime', 'sd15-t2i', 'sd15-img2img', 'sdxl-t2i', 'sdxl-img2img',
  'sdxl-turbo-t2i', 'svd-i2v', 'rife-interpolate', 'upscale',
];

const IMAGE_SAVERS = ['SaveImage'];
const VIDEO_SAVERS = ['SaveVideo', 'SaveAnimatedWEBP', 'SaveWEBM', 'VHS_VideoCombine'];

function saversOf(graph: ApiGraph): string[] {
  return Object.values(graph).filter((n) => [...IMAGE_SAVERS, ...VIDEO_SAVERS].includes(n.class_type)).map((n) => n.class_type);
}

describe('template registry', () => {
  it('has every promised template with a unique id', () => {
    const ids = allTemplates().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...REQUIRED_IDS].sort());
  });

  it('every capability is offered by some template', () => {
    const offered = new Set(allTemplates().flatMap((t) => t.capabilities));
    for (const capability of CAPABILITIES) expect(offered.has(capability), capability).toBe(true);
  });

  it('templateById misses with a typed error naming close ids', () => {
    expect(() => templateById('wan22-i2v-14')).toThrow(UnknownTemplateError);
    try {
      templateById('wan22-i2v-14');
    } catch (error) {
      expect((error as UnknownTemplateError).code).toBe('TEMPLATE_UNKNOWN');
      expect((error as UnknownTemplateError).suggestions[0]).toBe('wan22-i2v-14b');
      expect((error as Error).message).toContain('wan22-i2v-14b');
    }
  });
});

describe.each(allTemplates().map((t) => [t.id, t] as const))('%s', (_id, template) => {
  const variants = [undefined, ...template.variants.map((v) => v.id)];

  it.each(variants)('builds and validates against object_info (variant %s)', (variant) => {
    const params = variant === undefined ? undefined : template.variant(variant);
    const graph = template.build(params);
    const outcome = validateOnMatchingWorker(graph);
    expect(outcome.ok ? [] : [outcome.error, outcome.nodeErrors]).toEqual([]);
    expect(outcome.nodeErrors).toEqual({});
  });

  it('ends in a saver matching its output kind', () => {
    const graph = template.build();
    const output = template.output();
    const savers = saversOf(graph);
    expect(savers).toHaveLength(1);
    if (output.kind === 'video') expect(VIDEO_SAVERS).toContain(savers[0]);
    else expect(IMAGE_SAVERS).toContain(savers[0]);
    if (savers[0] === 'SaveVideo') {
      const save = Object.values(graph).find((n) => n.class_type === 'SaveVideo')!;
      const video = save.inputs.video;
      expect(isLink(video) && graph[video[0]]!.class_type).toBe('CreateVideo');
    }
  });

  it('has string ids, titles and links that point at existing nodes', () => {
    const graph = template.build();
    for (const [id, node] of Object.entries(graph)) {
      expect(id).toMatch(/^\d+$/);
      expect(node._meta?.title).toBeTruthy();
      for (const value of Object.values(node.inputs)) if (isLink(value)) expect(graph[value[0]], `${id} → ${value[0]}`).toBeDefined();
    }
    expect(template.build()).toEqual(graph);
  });

  it('derives requirements from the graph: nodes with packs, catalogued model files', () => {
    const req = template.requirements();
    const classes = new Set(Object.values(template.build()).map((n) => n.class_type));
    expect(new Set(req.nodes.map((n) => n.classType))).toEqual(classes);
    for (const node of req.nodes) expect(node.pack, node.classType).not.toBe('unknown');
    expect(req.models.length).toBeGreaterThan(0);
    for (const model of req.models) {
      const known = modelByFile(model.file);
      if (known) expect(known.variant.folder, model.file).toBe(model.folder);
    }
  });

  it('estimates every GPU profile and scores within 0…1', () => {
    const estimate = template.estimate();
    expect(Object.keys(estimate.secondsPerStep).sort()).toEqual(['a100-80g', 'cpu', 'h100', 'l40s', 'rtx3090', 'rtx4090', 'rtx5090']);
    expect(estimate.secondsPerStep.cpu).toBeGreaterThan(estimate.secondsPerStep.rtx4090);
    expect(estimate.secondsPerStep.h100).toBeLessThan(estimate.secondsPerStep.rtx3090);
    expect(Object.values(estimate.vramGb).length).toBeGreaterThan(0);
    expect(estimate.steps).toBeGreaterThan(0);
    for (const gb of Object.values(estimate.loadGb)) expect(gb).toBeGreaterThan(0);
    for (const score of [template.scores.quality, template.scores.speed]) expect(score >= 0 && score <= 1).toBe(true);
  });
});

describe('parameter schemas', () => {
  it('reject bad parameters naming the field', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['wan22-i2v-14b', { width: 641 }, 'width'],
      ['wan22-t2v-14b', { length: 80 }, 'length'],
      ['wan22-i2v-14b', { steps: 4, splitStep: 4 }, 'splitStep'],
      ['wan22-ti2v-5b', { width: 1264 }, 'width'],
      ['sd15-t2i', { sampler: 'warp_drive' }, 'sampler'],
      ['sdxl-t2i', { steps: 0 }, 'steps'],
      ['qwen-image-t2i', { seed: -1 }, 'seed'],
      ['hunyuan15-t2v', { length: 120 }, 'length'],
      ['newbie-anime', { prompt: { characters: [{ gender: 3 }] } }, 'prompt.characters.0.gender'],
    ];
    for (const [id, params, field] of cases) {
      const template = templateById(id);
      let caught: unknown;
      try {
        template.build(params);
      } catch (error) {
        caught = error;
      }
      expect(caught, `${id} ${JSON.stringify(params)}`).toBeInstanceOf(TemplateParamsError);
      expect((caught as TemplateParamsError).issues.map((i) => i.field)).toContain(field);
      expect((caught as Error).message).toContain(`"${field}"`);
    }
  });

  it('fill in the official defaults', () => {
    expect(templateById('sd15-t2i').parse()).toMatchObject({ width: 512, height: 512, steps: 20, cfg: 8, sampler: 'euler', scheduler: 'normal' });
    expect(templateById('qwen-image-t2i').parse()).toMatchObject({ width: 1328, height: 1328, shift: 3.1 });
    expect(templateById('newbie-anime').parse()).toMatchObject({ width: 1024, height: 1536, steps: 20, cfg: 5.5, sampler: 'res_multistep', shift: 6 });
    expect(templateById('hunyuan15-t2v').parse()).toMatchObject({ width: 848, height: 480, length: 121, fps: 24, steps: 20, cfg: 6, shift: 7 });
  });
});
