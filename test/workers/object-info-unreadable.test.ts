import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromWorker, preflight, renderPreflightReport } from '../../src/catalog/preflight/index.js';
import { ComfyClient } from '../../src/comfy/client/index.js';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { Inventory } from '../../src/workers/inventory.js';
import { cli, tempDir } from '../cli/support/run-cli.js';
import { preprocessorSelector } from '../fixtures/object-info/preprocessor-selector.js';

/**
 * comfyui_controlnet_aux's ControlNetPreprocessorSelector declares a list of choices as its
 * output type. The client used to reject the whole /object_info body for it, so preflight and
 * `workers check` stopped working for any worker with that pack. A loopback worker serves the
 * recorded 0.3.64 core classes plus such a class.
 */
const selector = preprocessorSelector;

const stats = {
  system: { os: 'posix', ram_total: 1, ram_free: 1, comfyui_version: '0.3.64', python_version: '3.11.2', pytorch_version: '1.13.1', embedded_python: false, argv: ['main.py', '--cpu'] },
  devices: [{ name: 'cpu', type: 'cpu', index: null, vram_total: 1, vram_free: 1, torch_vram_total: 1, torch_vram_free: 1 }],
};

let server: http.Server;
let url: string;

beforeAll(async () => {
  const body = JSON.stringify({ ...defaultObjectInfo(), ControlNetPreprocessorSelector: selector });
  server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]?.replace(/^\/api\//, '/');
    const send = (value: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(typeof value === 'string' ? value : JSON.stringify(value));
    };
    if (path === '/object_info') send(body);
    else if (path === '/system_stats') send(stats);
    else if (path === '/queue') send({ queue_running: [], queue_pending: [] });
    else if (path === '/models') send(['checkpoints', 'vae']);
    else if (path?.startsWith('/models/')) send([]);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const EMPTY_IMAGE_GRAPH: ApiGraph = {
  '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
};

describe('a worker whose /object_info has a class the client cannot parse', () => {
  it('client.objectInfo() returns every other class and logs the skipped one', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (_o: object, msg?: string) => warnings.push(msg ?? '') };
    const client = new ComfyClient(url, { socket: false, getRetries: 0, logger });
    try {
      const info = await client.objectInfo();
      expect(Object.keys(info)).toHaveLength(Object.keys(defaultObjectInfo()).length);
      expect(info.ControlNetPreprocessorSelector).toBeUndefined();
      expect(warnings).toEqual([expect.stringMatching(/^skipped node classes the client cannot parse: ControlNetPreprocessorSelector \(output\[0\]: /)]);
      const reading = await client.objectInfoReading();
      expect(reading.unreadable.map((n) => n.name)).toEqual(['ControlNetPreprocessorSelector']);
    } finally {
      client.close();
    }
  });

  it('workers check still reports the worker, and names the skipped class', async () => {
    const run = await cli(['workers', 'check', url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`nodes +${Object.keys(defaultObjectInfo()).length} classes, 1 skipped \\(definition not readable\\): ControlNetPreprocessorSelector \\(output\\[0\\]`));
    const json = await cli(['workers', 'check', url, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ skippedNodes: [{ name: 'ControlNetPreprocessorSelector' }] });
  });

  it('preflight passes a graph without the class, and says why a graph with it cannot be checked', async () => {
    const client = new ComfyClient(url, { socket: false, getRetries: 0 });
    try {
      const inventory = await inventoryFromWorker(client);
      expect(inventory.unreadableNodes?.map((n) => n.name)).toEqual(['ControlNetPreprocessorSelector']);
      expect(preflight(EMPTY_IMAGE_GRAPH, inventory).problems).toEqual([]);
      const report = preflight({ ...EMPTY_IMAGE_GRAPH, '3': { class_type: 'ControlNetPreprocessorSelector', inputs: { preprocessor: 'none' } } }, inventory);
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatchObject({ kind: 'unreadable_node', nodeId: '3', classType: 'ControlNetPreprocessorSelector' });
      expect(renderPreflightReport(report).join('\n')).toMatch(/unreadable node: node 3 \(ControlNetPreprocessorSelector\): the worker has this node, but its \/object_info definition could not be read \(output\[0\]/);
    } finally {
      client.close();
    }
  });

  it('preflight --object-info reads a saved object_info with such a class (offline)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'object_info.json'), JSON.stringify({ ...defaultObjectInfo(), ControlNetPreprocessorSelector: selector }));
    writeFileSync(join(dir, 'graph.json'), JSON.stringify(EMPTY_IMAGE_GRAPH));
    writeFileSync(join(dir, 'selector.json'), JSON.stringify({ ...EMPTY_IMAGE_GRAPH, '3': { class_type: 'ControlNetPreprocessorSelector', inputs: { preprocessor: 'none' } } }));
    const ready = await cli(['preflight', 'graph.json', '--object-info', 'object_info.json'], { cwd: dir });
    expect(ready.stderr).toBe('');
    expect(ready.stdout).toMatch(/: ready$/m);
    expect(ready.code).toBe(0);
    const blocked = await cli(['preflight', 'selector.json', '--object-info', 'object_info.json'], { cwd: dir });
    expect(blocked.stdout).toMatch(/unreadable node: node 3 \(ControlNetPreprocessorSelector\): the worker has this node, but/);
    expect(blocked.code).not.toBe(0);
  });

  it('the scheduler\'s worker inventory refreshes and keeps the skipped class on record', async () => {
    const inventory = new Inventory();
    inventory.track('w', { url, name: 'w' });
    const snapshot = await inventory.refresh('w');
    expect(snapshot.classCount).toBe(Object.keys(defaultObjectInfo()).length);
    expect(snapshot.unreadableNodes?.map((n) => n.name)).toEqual(['ControlNetPreprocessorSelector']);
  });
});
