import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalJson, taskHash, taskHashFor, TaskHashInputError } from '../../src/assets/index.js';
import { templateById } from '../../src/catalog/templates/index.js';
import { TSX_NODE_ARGS } from './fixtures/project.js';

const KEYFRAME = 'a'.repeat(64);
const base = {
  templateId: 'wan22-i2v-14b',
  templateVersion: '1.0.0',
  params: { prompt: 'a dragon', seed: 42, cfg: 3.5, size: { width: 640, height: 640 }, loras: [{ name: 'x', strength: 1 }] },
  inputs: { start_image: KEYFRAME },
};

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members, normalises -0 and 1.0', () => {
    expect(canonicalJson({ b: 1.0, a: [undefined, -0], c: undefined, d: { z: null, y: 'é' } })).toBe('{"a":[null,0],"b":1,"d":{"y":"é","z":null}}');
  });

  it.each([NaN, Infinity, 10n, () => 1, new Map(), new Date(0)])('refuses %s, which has no canonical JSON form', (value) => {
    expect(() => canonicalJson({ p: value })).toThrow(TaskHashInputError);
  });
});

describe('taskHash', () => {
  it('is a sha256 hex digest, the same whatever the key order', () => {
    const shuffled = {
      inputs: { start_image: KEYFRAME.toUpperCase() },
      params: { loras: [{ strength: 1.0, name: 'x' }], size: { height: 640, width: 640 }, cfg: 3.5, seed: 42, prompt: 'a dragon', unset: undefined },
      templateVersion: '1.0.0',
      templateId: 'wan22-i2v-14b',
    };
    expect(taskHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(taskHash(shuffled)).toBe(taskHash(base));
  });

  it('is the same in another process', () => {
    const script = `import { taskHash } from './src/assets/task-hash.ts'; process.stdout.write(taskHash(${JSON.stringify(base)}));`;
    const child = spawnSync(process.execPath, [...TSX_NODE_ARGS, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe(taskHash(base));
  });

  it.each([
    ['a parameter value', { ...base, params: { ...base.params, seed: 43 } }],
    ['a nested parameter', { ...base, params: { ...base.params, size: { width: 640, height: 641 } } }],
    ['array order', { ...base, params: { ...base.params, loras: [{ name: 'x', strength: 1 }, { name: 'y', strength: 1 }] } }],
    ['a number vs its string', { ...base, params: { ...base.params, seed: '42' } }],
    ['the template version', { ...base, templateVersion: '1.0.1' }],
    ['the template id', { ...base, templateId: 'wan22-flf2v' }],
    ['an input asset', { ...base, inputs: { start_image: 'b'.repeat(64) } }],
    ['an input name', { ...base, inputs: { end_image: KEYFRAME } }],
  ])('changes with %s', (_what, changed) => {
    expect(taskHash(changed)).not.toBe(taskHash(base));
  });

  it('refuses an input that is not a sha256', () => {
    expect(() => taskHash({ ...base, inputs: { start_image: 'keyframe.png' } })).toThrow(/inputs.start_image/);
  });

  it('taskHashFor fills template defaults, so omitted and explicit defaults are one task', () => {
    const template = templateById('sdxl-t2i');
    const defaults = template.parse({}) as Record<string, unknown>;
    expect(taskHashFor(template, {})).toBe(taskHashFor(template, defaults));
    expect(taskHashFor(template, { seed: 7 })).not.toBe(taskHashFor(template, {}));
  });
});
