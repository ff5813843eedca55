import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { validatePrompt } from '../../src/comfy/validation/index.js';
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
