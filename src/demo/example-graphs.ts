import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiGraph } from '../comfy/graph.js';

/** Shipped with the package (`files` in package.json), beside src/ and dist/. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface ExampleGraph {
  name: string;
  path: string;
  graph: ApiGraph;
}

/** examples/graphs/*.json, sorted by name. */
export function exampleGraphs(dir = join(EXAMPLES_DIR, 'graphs')): ExampleGraph[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      return { name: basename(file, '.json'), path, graph: JSON.parse(readFileSync(path, 'utf8')) as ApiGraph };
    });
}

/** The model files the example graphs load; the emulator is told to "have" them. */
export function exampleModels(path = join(EXAMPLES_DIR, 'sim-models.json')): Record<string, string[]> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string[]>;
}
