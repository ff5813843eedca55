import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromWorker, preflight } from '../../src/catalog/preflight/index.js';
import { buildWorkerReport, formatWorkerReport } from '../../src/cli/worker-report.js';
import { ComfyClient } from '../../src/comfy/client/index.js';
import type { ApiGraph } from '../../src/comfy/graph.js';
import type { ObjectInfoReading } from '../../src/comfy/object-info/read-object-info.js';
import { nodeDefSchema } from '../../src/comfy/object-info/schema.js';
import { cli } from '../cli/support/run-cli.js';
import { missingRealComfyUI, startRealComfyUI, type RealComfyUI } from '../support/real-comfyui.js';

/**
 * The real /object_info of ComfyUI 0.3.64 with every pack of the kit (540 classes). One of them,
 * comfyui_controlnet_aux's ControlNetPreprocessorSelector, declares a list of choices as its
 * output type: the client reports it and reads everything else; preflight and `workers check`
 * keep working for that worker.
 */
const PACKS = ['ComfyUI-Frame-Interpolation', 'ComfyUI-VideoHelperSuite', 'ComfyUI_IPAdapter_plus', 'comfyui_controlnet_aux'];

describe.skipIf(missingRealComfyUI('packs'))('object_info of real ComfyUI 0.3.64 with every pack of the kit', () => {
  let server: RealComfyUI | undefined;
  let client: ComfyClient;
  let raw: Record<string, { python_module: string }>;
  let reading: ObjectInfoReading;

  beforeAll(async () => {
    server = await startRealComfyUI({ kind: 'packs' });
    client = new ComfyClient(server.url, { socket: false, getRetries: 0 });
    raw = (await (await fetch(`${server.url}/object_info`)).json()) as typeof raw;
    reading = await client.objectInfoReading();
  }, 300_000);
  afterAll(async () => {
    client?.close();
    await server?.stop();
  }, 60_000);

  it('reads every class but the one it cannot parse, and names that one with where it failed', () => {
    const unparseable = Object.keys(raw).filter((name) => !nodeDefSchema.safeParse(raw[name]).success);
    expect(unparseable).toEqual(['ControlNetPreprocessorSelector']);
    expect(reading.unreadable.map((n) => n.name)).toEqual(unparseable);
    expect(reading.unreadable[0]?.problem).toMatch(/^output\[0\]: expected string, received array/);
    expect(Object.keys(reading.objectInfo).sort()).toEqual(Object.keys(raw).filter((n) => !unparseable.includes(n)).sort());
  });

  it('keeps the classes of every pack', () => {
    for (const pack of PACKS) {
      const served = Object.keys(raw).filter((n) => raw[n]?.python_module === `custom_nodes.${pack}`);
      expect(served.length, pack).toBeGreaterThan(10);
      const kept = served.filter((n) => Object.hasOwn(reading.objectInfo, n));
      expect(kept.length, pack).toBe(pack === 'comfyui_controlnet_aux' ? served.length - 1 : served.length);
    }
  });

  it('workers check answers, counting the classes read and naming the skipped one', async () => {
    const run = await cli(['workers', 'check', server!.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const nodes = run.stdout.split('\n').find((l) => l.startsWith('nodes'));
    expect(nodes).toMatch(new RegExp(`^nodes +${Object.keys(raw).length - 1} classes, 1 skipped \\(definition not readable\\): ControlNetPreprocessorSelector \\(output\\[0\\]`));
    // The same report from the pieces, as `--json` prints it.
    const report = buildWorkerReport(server!.url, {}, {}, reading.objectInfo, reading.unreadable);
    expect(formatWorkerReport(report).at(-1)).toBe(nodes);
  });

  it('preflight works for that worker: a pack node is checked, the unreadable one is reported', async () => {
    const inventory = await inventoryFromWorker(client);
    expect(inventory.unreadableNodes?.map((n) => n.name)).toEqual(['ControlNetPreprocessorSelector']);
    const graph: ApiGraph = {
      '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
      '2': { class_type: 'CannyEdgePreprocessor', inputs: { image: ['1', 0], low_threshold: 100, high_threshold: 200, resolution: 512 } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'canny' } },
    };
    expect(preflight(graph, inventory).problems).toEqual([]);
    const withSelector = preflight({ ...graph, '4': { class_type: 'ControlNetPreprocessorSelector', inputs: { preprocessor: 'none' } } }, inventory);
    expect(withSelector.problems.map((p) => `${p.kind} ${p.nodeId}`)).toEqual(['unreadable_node 4']);
  });
});
