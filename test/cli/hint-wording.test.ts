import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { cli } from './support/run-cli.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every literal hint (`hint: '…'`, `hint: \`…\``, `hint ?? '…'`) in src/, with its file. */
function hints(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/hint(?::|\s*\?\?|\s*=)\s*(['"`])((?:\\.|(?!\1).)*)\1/g)) out.push({ file: relative(SRC, file), text: m[2]! });
  }
  return out;
}

/** storycore's command names → subcommand names, from the real program. */
function commandNames(): Map<string, string[]> {
  const { program } = createProgram({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: process.cwd(), onStopSignal: () => () => undefined });
  return new Map(program.commands.map((c) => [c.name(), c.commands.map((s) => s.name())]));
}

describe('hints are written for someone who never saw the code', () => {
  const all = hints();

  it('finds the hints', () => {
    expect(all.length).toBeGreaterThan(80);
  });

  it('no hint names a function, a method call or a source folder', () => {
    const prose = (text: string) => text.replace(/\$\{[^}]*\}/g, '…');
    const bad = all.filter((h) => /\b[A-Za-z_.]+\(\)|\bsrc\//.test(prose(h.text)) || /\(error\.\w+\)/.test(h.text));
    expect(bad).toEqual([]);
  });

  it('every `storycore <command> [<sub>]` a hint names exists, and names a subcommand where one is needed', () => {
    const commands = commandNames();
    const problems: string[] = [];
    for (const h of all) {
      for (const m of h.text.matchAll(/storycore ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) {
        const [, name, sub] = m;
        const subs = commands.get(name!);
        if (!subs) problems.push(`${h.file}: unknown command '${name}' in "${h.text}"`);
        else if (subs.length > 0 && (!sub || !subs.includes(sub))) problems.push(`${h.file}: '${name}' needs one of ${subs.join(', ')} in "${h.text}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('config keys are set with --config-set, not the template parameters\' --set', () => {
    expect(all.filter((h) => /--set [a-z]+\.[A-Za-z.]+=/.test(h.text))).toEqual([]);
  });

  it('every --option a hint names is an option of storycore', async () => {
    const run = await cli(['--help']);
    const known = new Set<string>();
    const commands = commandNames();
    for (const [name, subs] of commands) {
      for (const args of subs.length ? subs.map((s) => [name, s, '--help']) : [[name, '--help']]) {
        const help = await cli(args);
        for (const m of help.stdout.matchAll(/--[a-z-]+/g)) known.add(m[0]);
      }
    }
    for (const m of run.stdout.matchAll(/--[a-z-]+/g)) known.add(m[0]);
    const unknown = all.flatMap((h) => [...h.text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]).filter((o) => !known.has(o)).map((o) => `${h.file}: ${o}`));
    expect(unknown).toEqual([]);
  }, 60_000);
});
