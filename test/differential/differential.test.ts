import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIFFERENTIAL_CASES, type DifferentialCase } from '../../src/conformance/differential/cases.js';
import { compareObservations } from '../../src/conformance/differential/compare.js';
import type { ExecutionMessage, Observation, SavedImage } from '../../src/conformance/differential/observe.js';
import { formatDifferentialTable, runDifferential, type DifferentialReport } from '../../src/conformance/differential/run-differential.js';
import { cli } from '../cli/support/run-cli.js';
import { missingRealComfyUI, startRealComfyUI, type RealComfyUI } from '../support/real-comfyui.js';

describe('the differential cases', () => {
  it('are at least 30 graphs covering valid, invalid, cached, interrupted and partial-target runs', () => {
    expect(DIFFERENTIAL_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DIFFERENTIAL_CASES.map((c) => c.id)).size).toBe(DIFFERENTIAL_CASES.length);
    const kinds = new Set(DIFFERENTIAL_CASES.map((c) => c.kind));
    for (const kind of ['valid', 'invalid', 'runtime-error', 'cached', 'interrupted', 'partial']) expect(kinds).toContain(kind);
    const nodes = new Set(DIFFERENTIAL_CASES.flatMap((c) => Object.values(c.graph).map((n) => n.class_type)));
    for (const cls of ['ImageCompositeMasked', 'ImageCrop', 'ImagePadForOutpaint', 'MaskToImage', 'ImageToMask', 'SolidMask', 'ImageBatch', 'RepeatImageBatch', 'ImageBlur', 'ImageSharpen', 'ImageScale', 'ImageScaleBy', 'ImageInvert', 'ImageBlend', 'EmptyImage', 'LoadImage']) {
      expect(nodes, cls).toContain(cls);
    }
  });
});

describe('the differential comparer', () => {
  const c: DifferentialCase = {
    id: 'two-branches',
    nodes: 'test',
    kind: 'valid',
    tolerance: 1,
    graph: { '1': { class_type: 'LoadImage', inputs: { image: 'x.png' } }, '8': { class_type: 'SaveImage', inputs: { images: ['1', 0] } }, '9': { class_type: 'SaveImage', inputs: { images: ['1', 0] } } },
  };
  const msg = (type: string, data: Record<string, unknown> = {}): ExecutionMessage => ({ type, data });
  const image = (values: number[], extra: Partial<SavedImage> = {}): SavedImage => ({ node: '9', filename: 'a_00001_.png', type: 'output', width: values.length / 3, height: 1, channels: 3, data: Buffer.from(values), ...extra });
  const observation = (order: string[], images: SavedImage[]): Observation => ({
    status: 200,
    body: { prompt_id: 'p', number: 0, node_errors: {} },
    messages: [msg('execution_start'), msg('execution_cached', { nodes: [] }), ...order.map((n) => msg('executing', { node: n })), msg('execution_success')],
    history: { status: { status_str: 'success', completed: true, messages: [['execution_start', {}], ['execution_success', {}]] }, outputs: { 9: { images: [{}] } } },
    images,
  });

  it('accepts independent branches in either order and pixels within the tolerance', () => {
    const real = observation(['1', '8', '9'], [image([10, 20, 30])]);
    const emu = observation(['1', '9', '8'], [image([11, 20, 29])]);
    expect(compareObservations(c, real, emu)).toEqual({ differences: [], maxAbs: 1, images: 1 });
  });

  it('reports a node run before its input, pixels beyond the tolerance, a size and a PNG chunk that differ', () => {
    const real = observation(['1', '8', '9'], [image([10, 20, 30], { png: { types: ['IHDR', 'tEXt', 'IDAT', 'IEND'], text: { prompt: '{}' } } })]);
    const order = compareObservations(c, real, observation(['8', '1', '9'], real.images)).differences;
    expect(order).toEqual([expect.stringMatching(/^message #2: real executing 1, emulator executing 8/)]);
    const pixels = compareObservations(c, real, observation(['1', '8', '9'], [image([13, 20, 30], { png: real.images[0]!.png! })])).differences;
    expect(pixels).toEqual(['pixels: max |Δ| 3 > tolerance 1']);
    const size = compareObservations(c, real, observation(['1', '8', '9'], [image([10, 20, 30, 1, 2, 3], { png: real.images[0]!.png! })])).differences;
    expect(size).toEqual([expect.stringContaining('real 1×1×3, emulator 2×1×3')]);
    const chunks = compareObservations(c, real, observation(['1', '8', '9'], [image([10, 20, 30], { png: { types: ['IHDR', 'tEXt', 'pHYs', 'IDAT', 'IEND'], text: { prompt: '{}' } } })])).differences;
    expect(chunks).toEqual([expect.stringContaining('PNG chunks')]);
  });

  it('an interrupt may land at the node it was sent on or the next one, on either side, but must land', () => {
    const chain: DifferentialCase = {
      id: 'chain',
      nodes: 'test',
      kind: 'interrupted',
      interruptAt: '3',
      graph: { '1': { class_type: 'EmptyImage', inputs: {} }, '3': { class_type: 'ImageBlur', inputs: { image: ['1', 0] } }, '4': { class_type: 'ImageBlur', inputs: { image: ['3', 0] } }, '9': { class_type: 'SaveImage', inputs: { images: ['4', 0] } } },
    };
    const run = (nodes: string[], end: ExecutionMessage): Observation => ({
      status: 200,
      body: { node_errors: {} },
      messages: [msg('execution_start'), msg('execution_cached', { nodes: [] }), ...nodes.map((n) => msg('executing', { node: n })), end],
      history: { status: { status_str: 'error', completed: false, messages: [] }, outputs: {} },
      images: [],
    });
    const at = (node: string) => msg('execution_interrupted', { node_id: node, node_type: 'ImageBlur' });
    expect(compareObservations(chain, run(['1', '3'], at('3')), run(['1', '3', '4'], at('4'))).differences).toEqual([]);
    const finished = compareObservations(chain, run(['1', '3'], at('3')), run(['1', '3', '4', '9'], msg('execution_success'))).differences;
    expect(finished).toEqual([expect.stringMatching(/^interrupt: real executing 3 → execution_interrupted 3 ImageBlur, emulator executing 3 → executing 4 → executing 9 → execution_success/)]);
  });

  it('compares a 400 answer by its body', () => {
    const bad = (message: string): Observation => ({ status: 400, body: { error: { type: 'prompt_no_outputs', message } }, messages: [], images: [] });
    expect(compareObservations({ ...c, kind: 'invalid' }, bad('Prompt has no outputs'), bad('Prompt has no outputs')).differences).toEqual([]);
    expect(compareObservations({ ...c, kind: 'invalid' }, bad('Prompt has no outputs'), bad('no outputs')).differences).toEqual([expect.stringMatching(/^POST \/prompt body/)]);
  });
});

describe('storycore conformance --differential', () => {
  it('asks for the real ComfyUI to compare with, in one line', async () => {
    const run = await cli(['conformance', '--differential']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--differential needs --worker <url>/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(missingRealComfyUI('nopacks'))('differential suite: emulator vs real ComfyUI 0.3.64', () => {
  let real: RealComfyUI;
  let report: DifferentialReport;
  beforeAll(async () => {
    real = await startRealComfyUI({ kind: 'nopacks' });
    report = await runDifferential({ worker: real.url, timeoutMs: 240_000 });
    console.log(formatDifferentialTable(report));
  }, 900_000);
  afterAll(async () => {
    await real?.stop();
  });

  it('runs every graph on both servers', () => {
    expect(report.rows.map((r) => r.graph)).toEqual(DIFFERENTIAL_CASES.map((c) => c.id));
  });

  it('storycore conformance --differential without --worker starts the kit\'s ComfyUI and prints the table', async () => {
    const env = {
      STORYCORE_REAL_COMFYUI_KIT: process.env.STORYCORE_REAL_COMFYUI_KIT,
      STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS: process.env.STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS,
    };
    const run = await cli(['conformance', '--differential', '--only', 'crop-edge'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^starting a real ComfyUI from the kit/);
    expect(run.stdout).toMatch(/\| crop-edge +\| ImageCrop past the edge +\| max \|Δ\| ≤ 0 +\| pass /);
    expect(run.stdout).toContain('1/1 graphs agree');
  }, 300_000);

  for (const c of DIFFERENTIAL_CASES) {
    it(`${c.id}: ${c.nodes}`, () => {
      const row = report.rows.find((r) => r.graph === c.id);
      expect(row?.differences).toEqual([]);
      if (c.kind === 'valid' || c.kind === 'cached') expect(row?.images).toBeGreaterThan(0);
    });
  }
});
