import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import type { ObjectInfo } from '../../src/comfy/object-info/types.js';
import { convertUiToApi, MissingLinkOriginError } from '../../src/comfy/ui-format/index.js';
import { cli } from '../cli/support/run-cli.js';

/** Conversions that must not guess silently: shifted group widgets, links from nowhere, untrue warnings. */
const oi = defaultObjectInfo();
const PAIRS = fileURLToPath(new URL('../fixtures/ui-api-pairs/', import.meta.url));

const ckpt = { id: 4, type: 'CheckpointLoaderSimple', mode: 0, inputs: [], outputs: [{ name: 'MODEL', type: 'MODEL', links: [] }, { name: 'CLIP', type: 'CLIP', links: [2] }, { name: 'VAE', type: 'VAE', links: [] }], widgets_values: ['sd15.safetensors'] };
const encode = { id: 6, type: 'CLIPTextEncode', mode: 0, inputs: [{ name: 'clip', type: 'CLIP', link: 2 }], outputs: [{ name: 'CONDITIONING', type: 'CONDITIONING', links: [] }], widgets_values: ['a cat'] };

describe('legacy group node saved by frontend 1.16 or later', () => {
  // The IP2PSampler group definition as frontend 1.23.4 saved it (ComfyUI_examples, hidream e1.1):
  // every widget of every inner node has a socket. DualCFGGuider has since gained `style`.
  const hidream = JSON.parse(readFileSync(join(PAIRS, 'hidream__hidream_e1.1_example/workflow.json'), 'utf8')) as { extra: { groupNodes: Record<string, unknown> } };
  const definition = hidream.extra.groupNodes.IP2PSampler;
  const instance = { id: 10, type: 'workflow>IP2PSampler', mode: 0, inputs: [], outputs: [], widgets_values: ['euler', 42, 'fixed', 'normal', 20, 1, 5, 1.5] };

  it('keeps each widget value on its own input when an inner node gained an input since', () => {
    const wf = { version: 0.4, nodes: [instance], links: [], extra: { frontendVersion: '1.23.4', groupNodes: { IP2PSampler: definition } } };
    const { prompt, warnings } = convertUiToApi(wf, oi, { omitMeta: true });
    expect(prompt['10:0']?.inputs).toEqual({ sampler_name: 'euler' });
    expect(prompt['10:1']?.inputs).toEqual({ noise_seed: 42 });
    expect(prompt['10:3']?.inputs).toMatchObject({ scheduler: 'normal', steps: 20, denoise: 1 });
    // The gained input takes the definition default, and the warning says which value that is.
    expect(prompt['10:7']?.inputs).toMatchObject({ cfg_conds: 5, cfg_cond2_negative: 1.5, style: 'regular' });
    expect(warnings).toContain('node 10:7 (DualCFGGuider): no saved value for style; using the definition default style="regular"');
  });
});

describe('legacy group node whose inner node gained a socket input since', () => {
  it('keeps every later group input on the instance input it was saved as', () => {
    const image = (name: string) => ({ name, type: 'IMAGE', link: null });
    const info: ObjectInfo = {
      ...oi,
      // Join has gained `mask` between its two saved inputs; Tint is unchanged.
      Join: { ...oi.ImageInvert!, name: 'Join', input: { required: { a: ['IMAGE', {}], mask: ['MASK', {}], b: ['IMAGE', {}] } }, input_order: { required: ['a', 'mask', 'b'] } },
      Tint: { ...oi.ImageInvert!, name: 'Tint', input: { required: { c: ['IMAGE', {}] } }, input_order: { required: ['c'] } },
    };
    const definition = {
      nodes: [
        { index: 0, type: 'Join', inputs: [image('a'), image('b')], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }] },
        { index: 1, type: 'Tint', inputs: [image('c')], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }] },
      ],
      links: [],
      external: [[0, 0, 'IMAGE'], [1, 0, 'IMAGE']],
    };
    const source = (id: number, link: number) => ({ id, type: 'EmptyImage', mode: 0, inputs: [], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [link] }], widgets_values: [8, 8, 1, id] });
    const wf = {
      nodes: [
        source(1, 10), source(2, 11), source(3, 12),
        { id: 5, type: 'workflow>Pair', mode: 0, inputs: [{ name: 'a', type: 'IMAGE', link: 10 }, { name: 'b', type: 'IMAGE', link: 11 }, { name: 'c', type: 'IMAGE', link: 12 }], outputs: [], widgets_values: [] },
      ],
      links: [[10, 1, 0, 5, 0, 'IMAGE'], [11, 2, 0, 5, 1, 'IMAGE'], [12, 3, 0, 5, 2, 'IMAGE']],
      extra: { groupNodes: { Pair: definition } },
    };
    const { prompt } = convertUiToApi(wf, info, { omitMeta: true });
    expect(prompt['5:0']?.inputs).toEqual({ a: ['1', 0], b: ['2', 0] });
    expect(prompt['5:1']?.inputs).toEqual({ c: ['3', 0] });
  });
});

describe('a link from a node that does not exist', () => {
  const wf = { nodes: [encode], links: [[2, 4, 1, 6, 0, 'CLIP']] };

  it('fails the conversion, naming the node, the input and the missing origin', () => {
    let error: unknown;
    try {
      convertUiToApi(wf, oi);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MissingLinkOriginError);
    expect((error as MissingLinkOriginError).code).toBe('WORKFLOW_LINK_ORIGIN_MISSING');
    expect((error as MissingLinkOriginError).message).toBe("node 6 (CLIPTextEncode) input 'clip' is linked from node 4, which is not in the workflow");
    expect((error as MissingLinkOriginError).hint).toContain('--lenient');
  });

  it('with lenient, converts with the input unconnected and a warning', () => {
    const { prompt, warnings } = convertUiToApi(wf, oi, { lenient: true, omitMeta: true });
    expect(prompt['6']?.inputs).toEqual({ text: 'a cat' });
    expect(warnings).toEqual(["node 6 (CLIPTextEncode) input 'clip' comes from node 4, which does not exist: left unconnected"]);
  });

  it('storycore convert fails with one line unless --lenient', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'storycore-convert-'));
    writeFileSync(join(cwd, 'wf.json'), JSON.stringify(wf));
    const strict = await cli(['convert', 'wf.json'], { cwd });
    expect(strict.code).not.toBe(0);
    const lines = strict.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("input 'clip' is linked from node 4, which is not in the workflow");
    const lenient = await cli(['convert', 'wf.json', '--lenient'], { cwd });
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.stdout)).toMatchObject({ '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat' } } });
    expect(lenient.stderr).toContain('which does not exist: left unconnected');
  });
});

describe('warnings about defaults', () => {
  it('a node saved without widgets_values gets the same warning, naming the values used', () => {
    const wf = { nodes: [ckpt, { id: 5, type: 'EmptyLatentImage', mode: 0, inputs: [], outputs: [{ name: 'LATENT', type: 'LATENT', links: [] }] }], links: [] };
    const { prompt, warnings, filledDefaults } = convertUiToApi(wf, oi, { omitMeta: true });
    expect(prompt['5']?.inputs).toEqual({ width: 512, height: 512, batch_size: 1 });
    expect(filledDefaults.map((f) => f.input)).toEqual(['width', 'height', 'batch_size']);
    expect(warnings).toEqual(['node 5 (EmptyLatentImage): saved without widget values for width, height, batch_size; using the definition defaults width=512, height=512, batch_size=1']);
  });

  it('does not claim a default for an input whose definition has none, and leaves it out', () => {
    const info: ObjectInfo = { ...oi, Painter: { ...oi.PrimitiveInt!, name: 'Painter', input: { required: { size: ['INT', { default: 3 }], colour: ['COLOR', {}] } }, input_order: { required: ['size', 'colour'] } } };
    const wf = { nodes: [{ id: 1, type: 'Painter', mode: 0, widgets_values: [7] }], links: [] };
    const { prompt, warnings, filledDefaults } = convertUiToApi(wf, info, { omitMeta: true });
    expect(prompt['1']?.inputs).toEqual({ size: 7 });
    expect(filledDefaults).toEqual([]);
    expect(warnings).toEqual(['node 1 (Painter): no saved value for colour, and the definition gives no default: not sent']);
  });

  it('does not list a value a group instance supplies as a default', () => {
    // Inner EmptySD3LatentImage saved with one widget value of three; the instance sets all three.
    const definition = {
      nodes: [{ index: 0, type: 'EmptySD3LatentImage', inputs: [], outputs: [{ name: 'LATENT', type: 'LATENT', links: [] }], widgets_values: [512] }],
      links: [],
      external: [[0, 0, 'LATENT']],
    };
    const wf = { nodes: [{ id: 9, type: 'workflow>Latent', mode: 0, inputs: [], outputs: [{ name: 'LATENT', type: 'LATENT', links: [] }], widgets_values: [768, 640, 2] }], links: [], extra: { groupNodes: { Latent: definition } } };
    const { prompt, warnings } = convertUiToApi(wf, oi, { omitMeta: true });
    expect(prompt['9:0']?.inputs).toEqual({ width: 768, height: 640, batch_size: 2 });
    expect(warnings).toEqual([]);
  });
});
