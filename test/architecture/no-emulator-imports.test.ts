import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every relative module a file names: `import … from`, `export … from`, `import('…')`, `import '…'`. */
function relativeImports(source: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;
  for (const m of source.matchAll(pattern)) specs.push(m[2]!);
  return specs;
}

function resolveModule(fromFile: string, spec: string): string {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return base;
}

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Files in `src/sim/` reachable from `entries`, each with the import chain that reaches it. */
function emulatorReach(entries: readonly string[]): string[] {
  const sim = join(root, 'src', 'sim') + '/';
  const via = new Map<string, string | undefined>(entries.map((e) => [e, undefined]));
  const todo = [...entries];
  const found: string[] = [];
  while (todo.length > 0) {
    const file = todo.pop()!;
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const target = resolveModule(file, spec);
      if (via.has(target)) continue;
      via.set(target, file);
      if (target.startsWith(sim)) {
        const chain = [target];
        for (let at = via.get(target); at !== undefined; at = via.get(at)) chain.unshift(at);
        found.push(chain.map((f) => relative(root, f)).join(' → '));
      } else if (existsSync(target)) todo.push(target);
    }
  }
  return found;
}

describe('production scheduling and workers', () => {
  it.each(['src/scheduler', 'src/workers'])('%s imports nothing from src/sim, directly or transitively', (folder) => {
    const entries = productionFiles(join(root, folder));
    expect(entries.length).toBeGreaterThan(5);
    expect(emulatorReach(entries)).toEqual([]);
  });

  it('the import walk does see the emulator when a module reaches it', () => {
    // The composition root starts emulators for --sim; the walk must report that chain.
    const reach = emulatorReach([join(root, 'src/engine/sim-workers.ts')]);
    expect(reach.some((chain) => chain.startsWith('src/engine/sim-workers.ts → src/sim/'))).toBe(true);
  });
});
