import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../cli/support/run-cli.js';

describe('storycore demo', () => {
  it('plans the example story, generates it on emulated workers and renders the cut, saying it is an animatic', async () => {
    const cwd = tempDir();
    const run = await cli(['demo', '--out', 'lighthouse', '--time-scale', '0.01', '--json'], { cwd });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { project: string; animatic: boolean; generate: { ran: number; failed: number }; render: { finalPath: string; durationSec: number; contactSheet: string; manifests: number } };
    expect(report.project).toBe(join(cwd, 'lighthouse'));
    expect(report.animatic).toBe(true);
    expect(report.generate).toMatchObject({ ran: 16, failed: 0 });
    expect(existsSync(report.render.finalPath)).toBe(true);
    expect(existsSync(report.render.contactSheet)).toBe(true);
    expect(report.render.durationSec).toBeCloseTo(63.5, 1);
    expect(report.render.manifests).toBe(16);
    expect(existsSync(join(cwd, 'lighthouse', 'the-lighthouse.md'))).toBe(true);

    const text = await cli(['demo', '--out', 'lighthouse', '--time-scale', '0.01'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('animatic made by the StoryCore emulator');
    expect(text.stderr).toContain('16 cached');
  }, 120_000);
});
