import { BLUR_31_ERROR } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import { connectFrontend } from './common.js';

const client_id = 'fixture-s6-client';
const prompt = {
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 255 } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'ImageBlur', inputs: { image: ['2', 0], blur_radius: 31, sigma: 1 } },
  '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'error/rc' } },
};

/** A node raising at run time (torch's reflect padding in ImageBlur r31), twice: the second run caches nodes 1-2. */
export const runtimeError: ScenarioScript = {
  id: '06',
  name: 'runtime-error',
  file: '06-runtime-error.json',
  emulatorFaults: () => [{ classType: 'ImageBlur', whenInputs: { blur_radius: 31 }, action: { type: 'raise', ...BLUR_31_ERROR } }],
  async run(s) {
    await connectFrontend(s, 'client', client_id);
    const first = await s.submit({ prompt, client_id }, 'graph failing inside ImageBlur');
    await s.waitForEnd('client', first.promptId);
    await s.http('GET', `/history/${first.promptId}`);
    const second = await s.submit({ prompt, client_id }, 'same failing graph again');
    await s.waitForEnd('client', second.promptId);
    await s.http('GET', `/history/${second.promptId}`);
    await s.http('GET', '/queue');
    await s.close('client');
  },
};
