import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LicencePolicyError } from '../../src/assets/index.js';
import { planStory } from '../../src/engine/story-plan.js';
import { cli } from '../cli/support/run-cli.js';
import { demoProject } from './support/project.js';

describe('generate refuses before any GPU time', () => {
  it('fails with one line naming how to add a worker when none is configured and --sim is not given', async () => {
    const project = demoProject();
    const run = await cli(['generate', 'story.yaml'], { cwd: project.dir });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('no ComfyUI worker is configured');
    expect(lines[0]).toContain('storycore workers add');
    expect(lines[0]).toContain('--sim');
    expect(existsSync(join(project.dir, '.storycore/queue.sqlite'))).toBe(false);
  });

  it('refuses a non-commercial model in a commercial project at plan time, naming model, licence and fix', async () => {
    const project = demoProject((yaml) => yaml.replace('commercial: false', 'commercial: true'));
    expect(() => planStory(project.story, project.dir)).toThrow(LicencePolicyError);
    try {
      planStory(project.story, project.dir);
    } catch (error) {
      const violations = (error as LicencePolicyError).violations;
      expect(violations.map((v) => v.file).sort()).toEqual(['sd_xl_turbo_1.0_fp16.safetensors', 'svd_xt.safetensors']);
      expect(violations.every((v) => v.reason === 'non-commercial')).toBe(true);
      expect(violations.find((v) => v.file === 'svd_xt.safetensors')!.usedBy).toContain('shot-001 clip');
    }
    const run = await cli(['generate', 'story.yaml', '--sim', '--json'], { cwd: project.dir });
    expect(run.code).toBe(2);
    const error = (JSON.parse(run.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('LICENCE_POLICY_VIOLATION');
    expect(error.message).toContain('Stability AI Non-Commercial');
    // Refused before the queue or any emulated worker existed: nothing was submitted.
    expect(existsSync(join(project.dir, '.storycore/queue.sqlite'))).toBe(false);
  });

  it('reports a malformed story with file, line, column and field', async () => {
    const project = demoProject((yaml) => yaml.replace('camera: { size: medium, angle: low, movement: static }', 'camera: { size: closeup, angle: low, movement: static }').replace('duration: 10\n', 'duration: -3\n'));
    const run = await cli(['generate', 'story.yaml', '--sim'], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/story\.yaml:\d+:\d+ scenes\[1\]\.shots\[1\]\.camera\.size: .*did you mean 'close-up'/);
    expect(run.stderr).toMatch(/story\.yaml:\d+:\d+ scenes\[0\]\.shots\[1\]\.duration/);
  });

  it('names an unknown shot given to --force', async () => {
    const project = demoProject();
    const run = await cli(['generate', 'story.yaml', '--sim', '--force', 'shot-42'], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the story has no shot 'shot-42'");
  });

  it('reports a YAML syntax error with its line', async () => {
    const project = demoProject();
    writeFileSync(project.story, 'title: x\nscenes:\n  - id: a\n   shots: [\n');
    const run = await cli(['generate', 'story.yaml', '--sim'], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/story\.yaml:\d+/);
  });
});
