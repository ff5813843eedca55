import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allTemplates } from '../../src/catalog/templates/index.js';

const docs = readFileSync(new URL('../../docs/templates.md', import.meta.url), 'utf8');

describe('docs/templates.md', () => {
  it.each(allTemplates().map((t) => [t.id, t] as const))('documents %s with its capabilities and default models', (id, template) => {
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
    expect(row, `summary row for ${id}`).toBeDefined();
    expect(row).toContain(template.capabilities.join(', '));
    const section = docs.split(`## \`${id}\``)[1]?.split('\n## ')[0] ?? '';
    for (const m of template.requirements().models) expect(section).toContain(`\`${m.folder}/${m.file}\``);
  });
});
