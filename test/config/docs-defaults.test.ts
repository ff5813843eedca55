import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { DEFAULT_STRATEGY } from '../../src/scheduler/strategies/index.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const configuration = read('docs/configuration.md');

/** The value at `a.b.c` of the default config (list keys are written `workers[]`). */
function valueAt(path: string): unknown {
  let value: unknown = defaultConfig();
  for (const part of path.replace(/\[\]$/, '').split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

/** `| \`key\` | type | default |` rows of the "Schema and defaults" table. */
function defaultRows(): Array<{ key: string; documented: string }> {
  const section = configuration.split('## Schema and defaults')[1]!.split('\nA worker:')[0]!;
  return section
    .split('\n')
    .map((line) => /^\| `([^`]+)` \|.*\| (.+?) \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ key: m[1]!, documented: m[2]!.trim() }));
}

describe('documented defaults match the code', () => {
  const rows = defaultRows();

  it('finds the defaults table', () => {
    expect(rows.length).toBeGreaterThan(20);
  });

  it.each(rows.map((r) => [r.key, r.documented] as const))('docs/configuration.md: %s defaults to %s', (key, documented) => {
    const actual = valueAt(key);
    if (documented === 'unset') return expect(actual).toBeUndefined();
    const literal = /^`([^`]*)`$/.exec(documented)?.[1];
    expect(literal, `default of ${key} should be written as one \`value\` or "unset"`).toBeDefined();
    // `<paths.dataDir>/queue.sqlite`: a default written in terms of another key's default.
    const expected = literal!.replace(/<([\w.]+)>/g, (_, other: string) => String(valueAt(other)));
    expect(typeof actual === 'string' ? actual : JSON.stringify(actual)).toBe(expected);
  });

  it('the config default strategy is the router default, and every page names that one', () => {
    const strategy = defaultConfig().scheduler.strategy;
    expect(strategy).toBe(DEFAULT_STRATEGY);
    const scheduling = read('docs/scheduling.md').split('\n').filter((l) => l.includes('(default)'));
    expect(scheduling).toHaveLength(1);
    expect(scheduling[0]).toContain(`\`${strategy}\` (default)`);
    const readme = [...read('README.md').matchAll(/`(\w+)` by default/g)].map((m) => m[1]);
    expect(readme).toContain(strategy);
  });
});
