import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { validatePrompt } from '../../src/comfy/validation/index.js';
import { convertUiToApi } from '../../src/comfy/ui-format/index.js';
import { ClassicCache } from '../../src/sim/engine/output-cache.js';
import { startEmulator } from '../../src/sim/index.js';
import { cli, tempDir } from '../cli/support/run-cli.js';

/** EmptyImage → ImageInvert × length → SaveImage: deeper than any recursive walk survives. */
function chain(length: number, width = 64): ApiGraph {
  return renumber(forwardChain(length, width), (id) => id);
}

/** The same chain numbered from the output back, so walks in id order meet the deepest node first. */
function reversedChain(length: number): ApiGraph {
  return renumber(forwardChain(length, 64), (id) => length + 3 - id);
}

function renumber(graph: ApiGraph, map: (id: number) => number): ApiGraph {
  const out: ApiGraph = {};
  for (const [id, node] of Object.entries(graph)) {
    const inputs = Object.fromEntries(Object.entries(node.inputs).map(([k, v]) => [k, Array.isArray(v) ? [String(map(Number(v[0]))), v[1]] : v]));
    out[String(map(Number(id)))] = { ...node, inputs } as ApiGraph[string];
  }
  return out;
}

function forwardChain(length: number, width: number): ApiGraph {
  const graph: ApiGraph = { '1': { class_type: 'EmptyImage', inputs: { width, height: 64, batch_size: 1, color: 0 } } };
  let previous = '1';
  for (let i = 2; i < length + 2; i++) {
    graph[String(i)] = { class_type: 'ImageInvert', inputs: { image: [previous, 0] } };
    previous = String(i);
  }
  graph[String(length + 2)] = { class_type: 'SaveImage', inputs: { images: [previous, 0], filename_prefix: 'deep' } };
  return graph;
}

const DEPTH = 10_000;

describe('graph walks do not overflow the stack on long chains', () => {
  it('validation accepts a 10 000-node chain and reports an error at its far end', () => {
    const ok = validatePrompt(chain(DEPTH), defaultObjectInfo());
    expect(ok.ok).toBe(true);
    const bad = validatePrompt(chain(DEPTH, -5), defaultObjectInfo());
    expect(bad.ok).toBe(false);
    expect(Object.keys(bad.nodeErrors)).toEqual(['1']);
    expect(bad.nodeErrors['1']!.errors[0]!.type).toBe('value_smaller_than_min');
  });

  it("the emulator's cache keys a 40 000-node chain", () => {
    const cache = new ClassicCache();
    cache.setPrompt(reversedChain(40_000), defaultObjectInfo(), () => undefined);
    expect(cache.nodeIds()).toHaveLength(40_002);
  });

  it('the emulator accepts a 3000-node chain on POST /prompt (not a 500 with a stack trace)', async () => {
    const emulator = await startEmulator({ timeScale: 0.0001 });
    try {
      const response = await fetch(`${emulator.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: chain(3000) }) });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ node_errors: {} });
    } finally {
      await emulator.close();
    }
  });

  it('preflight of a 3000-node chain answers, without "unexpected error"', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'chain.json'), JSON.stringify(chain(3000)));
    const run = await cli(['preflight', 'chain.json', '--sim', '--json'], { cwd });
    expect(run.stderr).not.toContain('unexpected');
    expect(run.stdout).not.toContain('unexpected');
    expect(run.code).toBe(0);
  });
});

describe('editor workflows with long chains convert', () => {
  /** CheckpointLoader → Reroute × reroutes → CLIPTextEncode, and EmptyImage → ImageInvert × inverts → SaveImage. */
  function uiWorkflow(reroutes: number, inverts: number): unknown {
    const nodes: unknown[] = [{ id: 1, type: 'CheckpointLoaderSimple', mode: 0, inputs: [], outputs: [{ name: 'CLIP', type: 'CLIP', links: [1] }], widgets_values: ['sd15.safetensors'] }];
    const links: unknown[] = [];
    let link = 1;
    let from = 1;
    let slot = 1;
    for (let i = 0; i < reroutes; i++) {
      const id = 10 + i;
      links.push([link, from, slot, id, 0, 'CLIP']);
      nodes.push({ id, type: 'Reroute', mode: 0, inputs: [{ name: '', type: '*', link }], outputs: [{ name: '', type: 'CLIP', links: [link + 1] }] });
      link++;
      from = id;
      slot = 0;
    }
    links.push([link, from, slot, 2, 0, 'CLIP']);
    nodes.push({ id: 2, type: 'CLIPTextEncode', mode: 0, inputs: [{ name: 'clip', type: 'CLIP', link }], outputs: [{ name: 'CONDITIONING', type: 'CONDITIONING', links: [] }], widgets_values: ['a cat'] });
    link++;
    nodes.push({ id: 3, type: 'EmptyImage', mode: 0, inputs: [], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [link] }], widgets_values: [64, 64, 1, 0] });
    from = 3;
    for (let i = 0; i < inverts; i++) {
      const id = 100_000 + i;
      links.push([link, from, 0, id, 0, 'IMAGE']);
      nodes.push({ id, type: 'ImageInvert', mode: 0, inputs: [{ name: 'image', type: 'IMAGE', link }], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [link + 1] }] });
      link++;
      from = id;
    }
    links.push([link, from, 0, 4, 0, 'IMAGE']);
    nodes.push({ id: 4, type: 'SaveImage', mode: 0, inputs: [{ name: 'images', type: 'IMAGE', link }], outputs: [], widgets_values: ['deep'] });
    return { nodes, links };
  }

  it('follows 20 000 reroutes and keeps a 20 000-node chain', () => {
    const { prompt } = convertUiToApi(uiWorkflow(20_000, 20_000), defaultObjectInfo(), { omitMeta: true });
    expect(Object.keys(prompt)).toHaveLength(20_004);
    expect((prompt['2']!.inputs.clip as unknown[])[0]).toBe('1');
    expect(prompt['4']!.inputs.images).toEqual([String(100_000 + 19_999), 0]);
  });
});
