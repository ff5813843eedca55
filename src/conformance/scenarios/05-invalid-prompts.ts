import type { ScenarioScript } from '../scenario.js';
import { connectFrontend } from './common.js';

const client_id = 'fixture-s5-client';
const empty = (width: unknown = 64, height: unknown = 64) => ({ class_type: 'EmptyImage', inputs: { width, height, batch_size: 1, color: 0 } });
const save = (from: [string, number] | undefined, prefix = 'invalid/rc') => ({
  class_type: 'SaveImage',
  inputs: from ? { images: from, filename_prefix: prefix } : { filename_prefix: prefix },
});

/** The invalid prompts, in the recorded order, each answered by a 400 body (or 500 page). */
const INVALID: Array<[string, Record<string, unknown>]> = [
  ['unknown class_type', { '1': { class_type: 'NoSuchNode', inputs: {} }, '2': save(['1', 0]) }],
  ['missing required input (SaveImage.images)', { '1': empty(), '2': save(undefined, 'x') }],
  ['value above max (EmptyImage.width 99999 > 16384)', { '1': empty(99999), '2': save(['1', 0]) }],
  ['value below min', { '1': empty(64, -5), '2': save(['1', 0]) }],
  [
    'combo value not in list (ImageScale.upscale_method)',
    {
      '1': empty(),
      '2': { class_type: 'ImageScale', inputs: { image: ['1', 0], upscale_method: 'super-resolution', width: 8, height: 8, crop: 'disabled' } },
      '3': save(['2', 0]),
    },
  ],
  ['LoadImage of a file that is not there', { '1': { class_type: 'LoadImage', inputs: { image: 'does_not_exist.png' } }, '2': save(['1', 0]) }],
  ['no output node', { '1': empty(), '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } } }],
  ['link to a non-existent node', { '1': empty(), '2': save(['99', 0]) }],
  ['link to an output index that does not exist', { '1': empty(), '2': save(['1', 5]) }],
  ['type mismatch: MASK output into IMAGE input', { '1': { class_type: 'LoadImage', inputs: { image: 'rc_test.png' } }, '2': save(['1', 1]) }],
  ['non-numeric INT', { '1': empty('wide'), '2': save(['1', 0]) }],
  ['node without class_type', { '1': { inputs: {} }, '2': save(['1', 0]) }],
];

/** Validation failures of POST /prompt; they send nothing over the socket. */
export const invalidPrompts: ScenarioScript = {
  id: '05',
  name: 'invalid-prompts',
  file: '05-invalid-prompts.json',
  async run(s) {
    await connectFrontend(s, 'client', client_id);
    for (const [label, prompt] of INVALID) await s.submit({ prompt, client_id }, label);
    const partial = await s.submit(
      { prompt: { '1': empty(), '2': save(['1', 0]), '3': save(['99', 0]) }, client_id },
      'one valid and one invalid output node (accepted with node_errors)',
    );
    s.note('the accepted partial prompt runs; waiting for it');
    await s.waitForEnd('client', partial.promptId);
    await s.http('POST', '/prompt', { label: 'malformed JSON body', raw: '{"prompt": {"1": {"class_type": ' });
    await s.submit({ client_id }, 'no "prompt" key');
    await s.submit({ prompt: 'not an object', client_id }, 'prompt is a string');
    await s.submit({ prompt: {}, client_id }, 'empty prompt object');
    const explicit = await s.submit(
      { prompt: { '1': empty(72), '2': save(['1', 0]) }, client_id, prompt_id: 'fixture-explicit-id-1' },
      'explicit prompt_id',
    );
    await s.waitForEnd('client', explicit.promptId);
    await s.http('GET', '/queue');
    await s.close('client');
  },
};
