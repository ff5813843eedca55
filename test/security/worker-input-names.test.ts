import { describe, expect, it } from 'vitest';
import { isWorkerInputName } from '../../src/catalog/templates/params.js';
import { cli, expectOneLineError } from '../cli/support/run-cli.js';
import { demoProject } from '../pipeline/support/project.js';

// ComfyUI's LoadImage joins the name to its input folder unchecked: a story or --set value must
// not make a worker read (and send back) a file outside that folder.
describe('worker input file names (images, masks, videos) stay inside the worker input folder', () => {
  it.each([
    ['x.png', true],
    ['sub/x.png', true],
    ['x.png [input]', true],
    ['..x.png', true],
    ['../x.png', false],
    ['sub/../../x.png', false],
    ['/etc/passwd', false],
    ['\\\\server\\share\\x.png', false],
    ['C:\\x.png', false],
    ['x\0.png', false],
  ])('%j → %s', (name, ok) => {
    expect(isWorkerInputName(name)).toBe(ok);
  });

  it('a story parameter naming a file outside is refused with its field and line', async () => {
    const project = demoProject((y) => y.replace('params: { fps: 6, frames: 14, height: 288, steps: 10, width: 512 }', 'params: { fps: 6, frames: 14, height: 288, steps: 10, width: 512, image: ../../home/me/secret.png }'));
    const run = await cli(['status', 'story.yaml'], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toMatch(/^error: story\.yaml:\d+:\d+ render\.clip\.params\.image: .*must name a file inside the worker input folder/);
  });

  it.each([
    [['templates', 'build', 'upscale', '--set', 'image=../../etc/x.png'], 'parameter "image"'],
    [['templates', 'build', 'wan-vace-inpaint', '--set', 'maskImage=/etc/x.png'], 'parameter "maskImage"'],
    [['templates', 'build', 'wan-vace-inpaint', '--set', 'video=../v.mp4'], 'parameter "video"'],
  ])('%j is refused naming the parameter', async (argv, field) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain(field);
    expect(line).toContain('must name a file inside the worker input folder');
  });
});
