import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError } from '../cli/support/run-cli.js';
import { buildUserTemplate } from '../../src/catalog/user-templates/index.js';

/** `--set name=value` is refused, with a did-you-mean, for a name the template does not have. */
describe('--set with an unknown template parameter', () => {
  it('templates build exits 2 and suggests the parameter meant', async () => {
    const run = await cli(['templates', 'build', 'sd15-t2i', '--set', 'step=4']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const line = expectOneLineError(run.stderr);
    expect(line).toContain('sd15-t2i has no parameter "step"');
    expect(line).toContain('did you mean "steps" for "step"?');
    expect(line).toContain('storycore templates show sd15-t2i');
  });

  it('templates build --variant refuses it too', async () => {
    const run = await cli(['templates', 'build', 'wan22-i2v-14b', '--variant', 'lightning', '--set', 'seeed=3']);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toContain('did you mean "seed" for "seeed"?');
  });

  it('models plan refuses it', async () => {
    const run = await cli(['models', 'plan', 'wan22-i2v-14b', '--set', 'presicion=fp16']);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toContain('did you mean "precision" for "presicion"?');
  });

  it('preflight refuses it before contacting any worker', async () => {
    const run = await cli(['preflight', 'sd15-t2i', '--sim', '--set', 'widht=640']);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toContain('did you mean "width" for "widht"?');
  });

  it('a known parameter with a bad value names the field', async () => {
    const run = await cli(['templates', 'build', 'sd15-t2i', '--set', 'steps=many']);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toContain('parameter "steps"');
  });

  it('user templates suggest the parameter meant', () => {
    const template = { name: 'portrait', graph: { '3': { class_type: 'KSampler', inputs: { seed: 1 } } }, params: { seed: { path: '3.inputs.seed', type: 'INT', default: 1 } } };
    expect(() => buildUserTemplate(template as never, { sed: 2 })).toThrow(expect.objectContaining({ hint: expect.stringContaining('did you mean seed?') }) as Error);
  });
});
