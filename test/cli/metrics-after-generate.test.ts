import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_YAML } from '../pipeline/support/project.js';
import { cli, tempDir } from './support/run-cli.js';

describe('storycore metrics after generate', () => {
  it('shows every job the generate run dispatched', async () => {
    const cwd = tempDir();
    copyFileSync(EXAMPLE_YAML, join(cwd, 'story.yaml'));
    const gen = await cli(['generate', 'story.yaml', '--sim', '--time-scale', '0.01', '--json'], { cwd });
    expect(gen.code, gen.stderr).toBe(0);
    const report = JSON.parse(gen.stdout) as { ran: number; tasks: unknown[] };
    expect(report.ran).toBe(16);

    const run = await cli(['metrics', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { store: string; jobs: { completed: number; failed: number }; workers: Array<{ worker: string; completed: number }> };
    expect(summary.jobs.completed).toBe(16);
    expect(summary.jobs.failed).toBe(0);
    expect(summary.workers.reduce((n, w) => n + w.completed, 0)).toBe(16);

    const text = await cli(['metrics'], { cwd });
    expect(text.stdout).toContain('jobs: 16 completed');
  }, 120_000);
});
